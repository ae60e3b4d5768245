package dev.wasmbpf.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code wasm-bpf run -d [wasm-bpf options] SOURCE [args]}: the same line as a foreground run, sent to the daemon as
 * a create request; prints the module's id. A local file is uploaded ({@code POST /v1/uploads}), so the daemon
 * needs no {@code --module-path} for it; an example name or OCI reference is passed as the source and resolved by
 * the daemon (which decides plain HTTP with its own {@code --insecure-registry}). Options with no daemon meaning
 * ({@code --dir}, {@code --interpreter}, the TinyGo callback names, registry credentials) are refused, not ignored.
 */
final class DetachedRun extends DaemonCommand {
    private final List<String> line;
    private final String name;
    private final String restart;

    DetachedRun(String host, List<String> line, String name, String restart) {
        this.host = host;
        this.line = line;
        this.name = name;
        this.restart = restart;
    }

    @Override
    int run(DaemonClient daemon) throws IOException, Refused {
        CommandLine parser = Main.moduleRunner();
        try {
            parser.parseArgs(line.toArray(String[]::new));
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        WasmBpfCommand options = parser.getCommand();
        if (options.module == null) {
            throw new IllegalArgumentException("run -d needs a module: an example name, a .wasm file or a reference");
        }
        if (!options.dirs.isEmpty()
                || options.interpreter
                || !options.wrapperModuleName.equals(dev.wasmbpf.runtime.RunConfig.DEFAULT_WRAPPER_MODULE)
                || !options.callbackExportName.equals(dev.wasmbpf.runtime.RunConfig.DEFAULT_CALLBACK_EXPORT)) {
            throw new IllegalArgumentException("--dir, --interpreter, -m and -c are not supported with --detach"
                    + " (the daemon runs every module compiled, without preopened directories)");
        }
        String source = options.module;
        Path file = Path.of(source);
        if (Files.isRegularFile(file)) {
            source = ClientJson.string(
                    check(daemon.send("POST", "/v1/uploads", "application/wasm", Files.readAllBytes(file)))
                            .object(),
                    "source");
        }
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("source", source);
        if (name != null) {
            create.put("name", name);
        }
        create.put("args", options.guestArgs);
        create.put("env", options.env);
        if (options.timeout != null) {
            create.put("timeout", options.timeout.toMillis() + "ms");
        }
        if (options.maxMemory != null) {
            create.put("maxMemory", options.maxMemory);
        }
        create.put(
                "allowAttach",
                options.allowAttach.stream()
                        .map(p -> p.toAbsolutePath().toString())
                        .toList());
        if (restart != null) {
            create.put("restartPolicy", restart);
        }
        DaemonClient.Reply reply = check(daemon.post("/v1/modules", ClientJson.write(create)));
        System.out.println(ClientJson.string(reply.object(), "id"));
        return 0;
    }
}
