/**
 * The skip-or-fail policy and the marker programs every module's tests share. Its one package is exported (every
 * module's tests call it); JUnit's API is required but not re-exported, since no JUnit type is in this API.
 * Other modules take it as a test-scoped dependency, so in their tests it sits on the class path and this
 * descriptor is checked only when this module compiles.
 */
module dev.wasmbpf.testkit {
    requires org.junit.jupiter.api;

    exports dev.wasmbpf.testkit;
}
