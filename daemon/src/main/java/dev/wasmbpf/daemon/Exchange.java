package dev.wasmbpf.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * One request and its answer: path parameters, query flags and a size-capped body in, JSON or a byte stream
 * out. Every reading method validates and throws {@link ApiException} naming the bad input; replying twice is a
 * bug in the endpoint, not something a client can cause.
 */
final class Exchange {
    /** Strict: unknown fields, a number where a string belongs (and back), trailing garbage are all refused. */
    static final ObjectMapper JSON = strict(JsonMapper.builder()).build();

    /** The API's strictness on any of Jackson's formats (declared-module files are read with it too). */
    static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B strict(B builder) {
        return builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // Jackson turns 12 or true into "12"/"true" for a String field unless told not to.
                .withCoercionConfig(
                        LogicalType.Textual,
                        config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final String path;
    /** When the server handed this request to the API (nanoTime): the origin of a created module's startup. */
    private final long receivedNanos = System.nanoTime();

    private Map<String, String> parameters = Map.of();
    private Fields query;
    private boolean answered;

    Exchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.path = Request.getPathInContext(request);
    }

    long receivedNanos() {
        return receivedNanos;
    }

    String method() {
        return request.getMethod();
    }

    String path() {
        return path;
    }

    void bind(Map<String, String> parameters) {
        this.parameters = Map.copyOf(parameters);
    }

    /** A {@code {name}} segment of the matched template. */
    String path(String name) {
        return parameters.get(name);
    }

    /** A query parameter, if given. */
    Optional<String> query(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return Optional.ofNullable(query.getValue(name));
    }

    /** A boolean query parameter: absent is false; {@code true|1|false|0}, anything else a 400 naming it. */
    boolean flag(String name) {
        return query(name)
                .map(value -> switch (value) {
                    case "true", "1", "" -> true;
                    case "false", "0" -> false;
                    default -> throw ApiException.badRequest(name, name + " must be true or false, not " + value);
                })
                .orElse(false);
    }

    Optional<String> header(HttpHeader header) {
        return Optional.ofNullable(request.getHeaders().get(header));
    }

    void header(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /** The body, at most {@code max} bytes: a larger one is refused (413 naming {@code body}) unread. */
    byte[] body(int max) throws IOException {
        long declared = request.getLength();
        if (declared > max) {
            throw new ApiException(
                    413, "body", "body of " + declared + " bytes is over the limit of " + max + " bytes");
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new ApiException(413, "body", "body is over the limit of " + max + " bytes");
            }
            return bytes;
        }
    }

    /** The body as JSON of {@code type}; a parse or type error is a 400 naming the field it is in. */
    <T> T json(Class<T> type, int max) throws IOException {
        byte[] body = body(max);
        if (body.length == 0) {
            throw ApiException.badRequest("body", "a JSON object is required");
        }
        try {
            T value = JSON.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("body", "a JSON object is required, not null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest(fieldOf(e), "unknown field " + fieldOf(e));
        } catch (DatabindException e) {
            String field = fieldOf(e);
            throw ApiException.badRequest(
                    field.isEmpty() ? "body" : field,
                    (field.isEmpty() ? "" : "bad value for " + field + ": ") + e.getOriginalMessage());
        } catch (JacksonException e) {
            throw ApiException.badRequest("body", "malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** The JSON path of a databind error: {@code args[1]}, {@code env.HOME}. */
    static String fieldOf(JacksonException e) {
        StringBuilder field = new StringBuilder();
        List<JacksonException.Reference> references = e.getPath();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    /** Answers with {@code body} as JSON. */
    void reply(int status, Object body) {
        byte[] bytes = JSON.writeValueAsBytes(body);
        answer(
                status,
                "application/json",
                ByteBuffer.wrap((new String(bytes, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    void text(int status, String text) {
        answer(status, "text/plain; charset=utf-8", ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Answers with {@code body} as it is. */
    void send(int status, String contentType, byte[] body) {
        answer(status, contentType, ByteBuffer.wrap(body));
    }

    /** A request header, or null. */
    String requestHeader(HttpHeader name) {
        return request.getHeaders().get(name);
    }

    private void answer(int status, String contentType, ByteBuffer body) {
        if (answered) {
            throw new IllegalStateException("answered twice: " + method() + " " + path);
        }
        answered = true;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.write(true, body, callback);
    }

    /** The error answer for {@code e}; when a stream was already started, the connection is failed instead. */
    void fail(ApiException e) {
        if (answered) {
            callback.failed(e);
            return;
        }
        reply(e.status(), error(e.field(), e.getMessage()));
    }

    static Map<String, Object> error(String field, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("field", field);
        return body;
    }

    /**
     * Starts a streamed (chunked) answer; {@code writer} writes it with blocking writes on this request's thread
     * and the answer ends when it returns. A client that goes away makes a write throw: the stream ends there.
     */
    void stream(int status, String contentType, StreamWriter writer) {
        answered = true;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            writer.write(out);
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    @FunctionalInterface
    interface StreamWriter {
        void write(OutputStream out) throws IOException, InterruptedException;
    }
}
