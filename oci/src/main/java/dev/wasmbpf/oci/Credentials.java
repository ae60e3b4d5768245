package dev.wasmbpf.oci;

import java.util.Objects;

/** A registry login given on the command line; the password never appears in toString. */
public record Credentials(String username, String password) {
    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", password hidden]";
    }
}
