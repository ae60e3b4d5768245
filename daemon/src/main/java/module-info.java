/**
 * The node agent (a unix-socket HTTP API over the runtime). Nothing is exported: it is an application, started by
 * the CLI from the shaded jar on the class path, where this descriptor is dropped; here it checks at compile time and
 * in the tests what the daemon reaches. Jackson binds the request and spec records by reflection, so the package is
 * opened to Jackson's databind alone.
 */
module dev.wasmbpf.daemon {
    requires dev.wasmbpf.runtime;
    // An explicit module (oci/src/main/java/module-info.java): only its API packages, nothing open.
    requires dev.wasmbpf.oci;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.unixdomain.server;
    requires tools.jackson.databind;
    requires tools.jackson.dataformat.yaml;
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.model;
    requires io.prometheus.writer.text;
    // sun.misc.Signal: SIGTERM/SIGINT handling.
    requires jdk.unsupported;

    opens dev.wasmbpf.daemon to
            tools.jackson.databind;
}
