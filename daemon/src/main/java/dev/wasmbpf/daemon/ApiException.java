package dev.wasmbpf.daemon;

/**
 * A request the API refuses: the HTTP status and the request field that caused it, answered as
 * {@code {"error": message, "field": field}}. Thrown anywhere under an endpoint; {@link RouteTable} turns it into
 * the reply, so an endpoint validates at the edge and never writes an error itself.
 */
final class ApiException extends RuntimeException {
    private final int status;
    private final String field;

    ApiException(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    ApiException(int status, String field, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.field = field;
    }

    static ApiException badRequest(String field, String message) {
        return new ApiException(400, field, message);
    }

    static ApiException notFound(String field, String message) {
        return new ApiException(404, field, message);
    }

    static ApiException conflict(String field, String message) {
        return new ApiException(409, field, message);
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }
}
