package dev.wasmbpf.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bearer token the API demands on TCP ({@code --listen}), where no file mode guards it as on the Unix socket.
 * Read once at start from {@code --token-file} (surrounding whitespace, such as a trailing newline, is not part of
 * it). A presented token is compared through SHA-256 digests with {@link MessageDigest#isEqual}, which takes the
 * same time wherever two digests differ, so neither the token's bytes nor its length leak through timing.
 */
final class TokenAuth {
    private static final String BEARER = "Bearer ";

    private final byte[] expected;

    private TokenAuth(byte[] expected) {
        this.expected = expected;
    }

    /** The token in {@code file}; a missing, unreadable or empty file is an {@link IllegalArgumentException}. */
    static TokenAuth fromFile(Path file) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + file + " cannot be read: " + e.getMessage());
        }
        if (token.isEmpty()) {
            throw new IllegalArgumentException("--token-file " + file + " is empty");
        }
        return new TokenAuth(sha256(token));
    }

    /** Whether an {@code Authorization} header value (null when absent) carries the token. */
    boolean allows(String authorization) {
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return false;
        }
        return MessageDigest.isEqual(
                expected, sha256(authorization.substring(BEARER.length()).strip()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
