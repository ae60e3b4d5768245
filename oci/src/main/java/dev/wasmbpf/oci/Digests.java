package dev.wasmbpf.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** OCI content digests; only sha256, the algorithm every registry supports. */
public final class Digests {
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    private Digests() {}

    public static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static boolean isSha256(String digest) {
        return digest != null && SHA256.matcher(digest).matches();
    }

    /** The hex part, safe to use as a file name once {@link #isSha256} holds. */
    public static String hex(String digest) {
        if (!isSha256(digest)) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        return digest.substring("sha256:".length());
    }

    /** Checks content against its descriptor's digest, naming {@code what} in the error. */
    public static void verify(String what, String expectedDigest, byte[] content) throws DigestMismatchException {
        String actual = sha256(content);
        if (!actual.equals(expectedDigest)) {
            throw new DigestMismatchException(what, expectedDigest, actual);
        }
    }
}
