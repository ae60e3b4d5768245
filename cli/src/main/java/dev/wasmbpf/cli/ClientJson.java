package dev.wasmbpf.cli;

import java.io.StringWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;

/**
 * The daemon client's JSON: answers read into plain values ({@code Map} in the answer's order, {@code List},
 * {@code String}, {@code Number}, {@code Boolean}, {@code null}) and requests written from them, with jackson-core's
 * streaming parser and generator alone.
 *
 * <p>Why not jackson-databind, which the rest of the build uses: a client command is a whole JVM process, and
 * databind's first {@code ObjectMapper} costs ~150 ms of CPU in a cold one (measured: a bare {@code readTree} of a
 * 50-byte answer, 0.26 s of CPU against 0.08 s for the same read with jackson-core's parser), which was more than
 * half of {@code wasm-bpf ps} and {@code run -d}. The client reads a few fields of small answers; the mapping
 * below is all it needs.
 */
final class ClientJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** What {@code writerWithDefaultPrettyPrinter()} gave: the same printer, from jackson-core. */
    private static final ObjectWriteContext PRETTY = new ObjectWriteContext.Base() {
        @Override
        public PrettyPrinter getPrettyPrinter() {
            return new DefaultPrettyPrinter();
        }

        @Override
        public boolean hasPrettyPrinter() {
            return true;
        }
    };

    private ClientJson() {}

    /** The daemon's answer is not what the client expects: malformed JSON, or a field missing or of another type. */
    static final class BadAnswer extends RuntimeException {
        BadAnswer(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One JSON value; throws {@link BadAnswer} on malformed JSON or content after it. */
    static Object parse(byte[] json) {
        try {
            return parseValue(json);
        } catch (JacksonException e) {
            throw new BadAnswer("the daemon's answer is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Object parseValue(byte[] json) {
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new StreamReadException(parser, "no JSON value");
            }
            Object value = read(parser, first);
            if (parser.nextToken() != null) {
                throw new StreamReadException(parser, "content after the JSON value");
            }
            return value;
        }
    }

    private static Object read(JsonParser parser, JsonToken token) {
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
                    String name = parser.currentName();
                    object.put(name, read(parser, parser.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(read(parser, next));
                }
                yield array;
            }
            case VALUE_STRING -> parser.getString();
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new StreamReadException(parser, "unexpected " + token);
        };
    }

    /** {@code value} (plain values as {@link #parse} gives them) as compact JSON. */
    static String write(Object value) {
        return write(value, ObjectWriteContext.empty());
    }

    /** {@code value} as indented JSON, for a person to read. */
    static String writePretty(Object value) {
        return write(value, PRETTY);
    }

    private static String write(Object value, ObjectWriteContext context) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(context, out)) {
            write(generator, value);
        }
        return out.toString();
    }

    private static void write(JsonGenerator generator, Object value) {
        switch (value) {
            case null -> generator.writeNull();
            case Map<?, ?> object -> {
                generator.writeStartObject();
                for (Map.Entry<?, ?> field : object.entrySet()) {
                    generator.writeName(String.valueOf(field.getKey()));
                    write(generator, field.getValue());
                }
                generator.writeEndObject();
            }
            case List<?> array -> {
                generator.writeStartArray();
                for (Object element : array) {
                    write(generator, element);
                }
                generator.writeEndArray();
            }
            case String string -> generator.writeString(string);
            case Boolean bool -> generator.writeBoolean(bool);
            case Double number -> generator.writeNumber(number);
            case Float number -> generator.writeNumber(number);
            case BigInteger number -> generator.writeNumber(number);
            case Number number -> generator.writeNumber(number.longValue());
            default ->
                throw new IllegalArgumentException(
                        "not a JSON value: " + value.getClass().getName());
        }
    }

    /** The JSON object {@code value} is, or an error naming what the daemon's answer lacked. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new BadAnswer("the daemon's answer has no JSON object for " + what, null);
    }

    /** The string field {@code name} of {@code object}, or an error naming it. */
    static String string(Map<String, Object> object, String name) {
        if (object.get(name) instanceof String string) {
            return string;
        }
        throw new BadAnswer("the daemon's answer has no string field " + name, null);
    }

    /** The number field {@code name} of {@code object}, or an error naming it. */
    static Number number(Map<String, Object> object, String name) {
        if (object.get(name) instanceof Number number) {
            return number;
        }
        throw new BadAnswer("the daemon's answer has no number field " + name, null);
    }
}
