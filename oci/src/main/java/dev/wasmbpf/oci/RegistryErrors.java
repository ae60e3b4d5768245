package dev.wasmbpf.oci;

import land.oras.exception.OrasException;

/** Turns ORAS failures (HTTP status, registry error JSON, connection errors) into one line. */
final class RegistryErrors {
    private RegistryErrors() {}

    static OciException describe(String action, ModuleReference reference, OrasException e) {
        // ORAS reports failures without a response (connection refused, TLS) as status -1 or none.
        Integer status = e.getStatusCode() != null && e.getStatusCode() > 0 ? e.getStatusCode() : null;
        String detail = detail(e);
        String message;
        if (status != null && status == 404) {
            message = "not found: " + reference + (detail.isEmpty() ? "" : " (" + detail + ")");
        } else if (status != null && (status == 401 || status == 403)) {
            message = "access denied (HTTP " + status + ") to " + reference
                    + ": log in (docker login / ~/.docker/config.json) or pass --username and --password-stdin";
        } else if (status != null) {
            message =
                    "cannot " + action + " " + reference + ": HTTP " + status + (detail.isEmpty() ? "" : " " + detail);
        } else {
            message = "cannot " + action + " " + reference + ": " + rootMessage(e);
        }
        return new OciException(message, e);
    }

    private static String detail(OrasException e) {
        if (e.getError() != null && e.getError().message() != null) {
            return e.getError().message();
        }
        return e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    }

    private static String rootMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "connection refused (is a registry running at that host and port?)";
            }
            if (t instanceof java.nio.channels.UnresolvedAddressException
                    || t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS failed: " + firstLine(t) + " (a plain-HTTP registry needs --plain-http)";
            }
            if (t instanceof java.net.http.HttpTimeoutException) {
                return "timed out";
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return firstLine(root);
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
