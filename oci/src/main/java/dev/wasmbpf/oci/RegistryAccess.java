package dev.wasmbpf.oci;

import java.util.Optional;
import land.oras.Registry;
import land.oras.auth.AuthStoreAuthenticationProvider;
import land.oras.auth.UsernamePasswordProvider;

/**
 * How to reach registries: plain HTTP or HTTPS, and whose credentials. Without explicit credentials
 * ORAS reads ~/.docker/config.json (and $XDG_RUNTIME_DIR/containers/auth.json), as docker and podman do.
 */
public record RegistryAccess(boolean plainHttp, Optional<Credentials> credentials) {
    public static RegistryAccess defaults() {
        return new RegistryAccess(false, Optional.empty());
    }

    Registry registry() {
        Registry.Builder builder = Registry.builder()
                .withInsecure(plainHttp)
                .withAuthProvider(credentials
                        .<land.oras.auth.AuthProvider>map(c -> new UsernamePasswordProvider(c.username(), c.password()))
                        .orElseGet(AuthStoreAuthenticationProvider::new));
        return builder.build();
    }
}
