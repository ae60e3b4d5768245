package dev.wasmbpf.oci;

/** A failure a person can act on: the message is one line naming the reference or file involved. */
public class OciException extends Exception {
    public OciException(String message) {
        super(message);
    }

    public OciException(String message, Throwable cause) {
        super(message, cause);
    }
}
