package dev.wasmbpf.oci;

/** Content whose sha256 is not the digest its descriptor promised: corrupted or tampered with. */
public final class DigestMismatchException extends OciException {
    public DigestMismatchException(String what, String expected, String actual) {
        super("digest mismatch for " + what + ": expected " + expected + ", got " + actual);
    }
}
