package dev.wasmbpf.daemon;

import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * One file of the {@code --modules-dir} directory: a module declared in YAML ({@code .yaml}, {@code .yml}) or JSON
 * ({@code .json}) with the fields of a create request ({@link ModuleSpec}). Parsed as strictly as the API's JSON
 * (unknown fields, wrong types, duplicate keys refused), so a file and a request mean the same; without a
 * {@code name} the module is named after the file ({@code bootstrap.yaml} → {@code bootstrap}).
 *
 * <p>YAML note: scalars are typed, so a number meant as an argument or environment value must be quoted
 * ({@code args: ["5"]}), as in a Kubernetes manifest.
 */
final class DeclaredModuleFile {
    /** A declaration is a few lines; anything near this size is not one. */
    static final int MAX_BYTES = ModuleApi.MAX_JSON_BODY;

    private static final ObjectMapper JSON = strict(JsonMapper.builder());
    private static final ObjectMapper YAML = strict(YAMLMapper.builder());

    private DeclaredModuleFile() {}

    /** The same strictness as {@link Exchange#JSON}, plus duplicate keys refused. */
    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> M strict(B builder) {
        return Exchange.strict(builder)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /** Whether the directory entry {@code fileName} is a declaration (hidden entries, as a ConfigMap's {@code ..data}, are not). */
    static boolean isDeclaration(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return !fileName.startsWith(".")
                && (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json"));
    }

    /**
     * Parses and checks a declaration. Throws {@link ApiException} naming the bad field (the source is checked
     * later, when it is resolved).
     */
    static ModuleSpec parse(String fileName, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw ApiException.badRequest(
                    "file", "file of " + bytes.length + " bytes is over the limit of " + MAX_BYTES + " bytes");
        }
        boolean json = fileName.toLowerCase(Locale.ROOT).endsWith(".json");
        ModuleSpec spec;
        try {
            spec = (json ? JSON : YAML).readValue(bytes, ModuleSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest(Exchange.fieldOf(e), "unknown field " + Exchange.fieldOf(e));
        } catch (DatabindException e) {
            String field = Exchange.fieldOf(e);
            throw ApiException.badRequest(
                    field.isEmpty() ? "file" : field,
                    (field.isEmpty() ? "" : "bad value for " + field + ": ") + firstLine(e.getOriginalMessage()));
        } catch (JacksonException e) {
            throw ApiException.badRequest(
                    "file", "malformed " + (json ? "JSON" : "YAML") + ": " + firstLine(e.getOriginalMessage()));
        }
        if (spec == null) {
            throw ApiException.badRequest(
                    "file", "the file declares nothing (an object with at least source is required)");
        }
        if (spec.name() == null) {
            String stem = fileName.substring(0, fileName.lastIndexOf('.'));
            spec = new ModuleSpec(
                    spec.source(),
                    stem,
                    spec.args(),
                    spec.env(),
                    spec.timeout(),
                    spec.maxMemory(),
                    spec.allowAttach(),
                    spec.restartPolicy());
        }
        if (spec.source() == null || spec.source().isBlank()) {
            throw ApiException.badRequest("source", "source is required");
        }
        return spec.check();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
