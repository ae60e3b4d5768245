package dev.wasmbpf.cli;

import dev.wasmbpf.oci.Credentials;
import dev.wasmbpf.oci.OciException;
import dev.wasmbpf.oci.RegistryAccess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Registry options shared by push, pull, run and inspect. */
final class RegistryOptions {
    @Option(names = "--plain-http", description = "Talk to the registry over plain HTTP (a local or test registry).")
    boolean plainHttp;

    @Option(
            names = {"-u", "--username"},
            paramLabel = "USER",
            description =
                    "Registry user; the password is read from stdin (--password-stdin). Default: ~/.docker/config.json.")
    String username;

    @Option(names = "--password-stdin", description = "Read the registry password from stdin (with --username).")
    boolean passwordStdin;

    /** Only stdin carries the password, so it never shows in ps or shell history. */
    RegistryAccess access(InputStream stdin) throws OciException {
        if (username == null && !passwordStdin) {
            return new RegistryAccess(plainHttp, Optional.empty());
        }
        if (username == null) {
            throw new OciException("--password-stdin needs --username");
        }
        if (!passwordStdin) {
            throw new OciException("--username needs --password-stdin (the password is read from stdin)");
        }
        String password;
        try {
            password = new String(stdin.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new OciException("cannot read the password from stdin: " + e.getMessage(), e);
        }
        if (password.isEmpty()) {
            throw new OciException("--password-stdin: stdin was empty");
        }
        return new RegistryAccess(plainHttp, Optional.of(new Credentials(username, password)));
    }
}
