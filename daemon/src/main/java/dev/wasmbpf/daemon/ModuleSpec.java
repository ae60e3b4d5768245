package dev.wasmbpf.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to run: the body of {@code POST /v1/modules} (and, for the declared-modules directory, of one file).
 * Parsed strictly (see {@link Exchange#JSON}); {@link #check()} validates the values and names the bad field.
 *
 * @param source where the bytes come from (see {@link ModuleSources})
 * @param name unique among the daemon's modules; default {@code SOURCE-ID6}
 * @param args the guest's arguments after argv[0]
 * @param env the guest's environment
 * @param timeout terminate after this long: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}
 * @param maxMemory cap of the guest's linear memory in bytes (a multiple of 64 KiB is exact)
 * @param allowAttach absolute paths under which cgroup and uprobe attach targets are allowed
 * @param restartPolicy {@code no} (default), {@code on-failure} or {@code always}: stored and shown; the daemon's
 *     restart logic reads it
 */
record ModuleSpec(
        String source,
        String name,
        List<String> args,
        Map<String, String> env,
        String timeout,
        Long maxMemory,
        List<String> allowAttach,
        String restartPolicy) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
    static final List<String> RESTART_POLICIES = List.of("no", "on-failure", "always");

    ModuleSpec {
        // Null-tolerant copies: a null element is refused by check(), naming it, not by an NPE here.
        args = args == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
        env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        allowAttach = allowAttach == null
                ? List.of()
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(allowAttach));
        restartPolicy = restartPolicy == null ? "no" : restartPolicy;
    }

    /** Validates every field but {@code source} (resolved by {@link ModuleSources}); throws naming the first bad one. */
    ModuleSpec check() {
        if (name != null && !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("name", "name must match " + NAME.pattern() + ", not " + name);
        }
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) == null) {
                throw ApiException.badRequest("args[" + i + "]", "an argument must be a string, not null");
            }
            if (args.get(i).indexOf('\0') >= 0) {
                throw ApiException.badRequest("args[" + i + "]", "an argument cannot hold a NUL byte");
            }
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue() == null) {
                throw ApiException.badRequest("env." + e.getKey(), "an environment value must be a string, not null");
            }
            if (e.getKey().isEmpty()
                    || e.getKey().contains("=")
                    || e.getKey().indexOf('\0') >= 0
                    || e.getValue().indexOf('\0') >= 0) {
                throw ApiException.badRequest(
                        "env." + e.getKey(), "an environment name must be non-empty without = or NUL");
            }
        }
        timeoutDuration();
        if (maxMemory != null && maxMemory < 65_536) {
            throw ApiException.badRequest(
                    "maxMemory", "maxMemory must be at least 65536 bytes (one Wasm page), not " + maxMemory);
        }
        for (int i = 0; i < allowAttach.size(); i++) {
            String path = allowAttach.get(i);
            if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0) {
                throw ApiException.badRequest("allowAttach[" + i + "]", "an absolute path is required, not " + path);
            }
        }
        if (!RESTART_POLICIES.contains(restartPolicy)) {
            throw ApiException.badRequest(
                    "restartPolicy", "restartPolicy must be one of " + RESTART_POLICIES + ", not " + restartPolicy);
        }
        return this;
    }

    Optional<Duration> timeoutDuration() {
        if (timeout == null) {
            return Optional.empty();
        }
        Matcher m = DURATION.matcher(timeout);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw ApiException.badRequest(
                    "timeout", "timeout must be a positive duration such as 500ms, 30s, 5m or 1h, not " + timeout);
        }
        long amount = Long.parseLong(m.group(1));
        return Optional.of(
                switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                });
    }

    OptionalLong maxMemoryBytes() {
        return maxMemory == null ? OptionalLong.empty() : OptionalLong.of(maxMemory);
    }

    List<Path> allowAttachPaths() {
        return allowAttach.stream().map(Path::of).toList();
    }
}
