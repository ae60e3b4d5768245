package dev.wasmbpf.oci;

import java.util.Optional;
import java.util.regex.Pattern;
import land.oras.ContainerRef;

/**
 * A module in a registry: {@code host[:port]/repository[:tag][@sha256:…]}. The registry host is
 * required (no implicit docker.io) so that a reference can never be mistaken for a file or an
 * example name, and a typo never silently goes to Docker Hub.
 */
public record ModuleReference(String registry, String repository, Optional<String> tag, Optional<String> digest) {
    private static final Pattern REPOSITORY =
            Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern HOST =
            Pattern.compile("(?:[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]{1,5})?");

    public static ModuleReference parse(String text) throws OciException {
        String rest = text;
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Optional.of(rest.substring(at + 1));
            rest = rest.substring(0, at);
            if (!Digests.isSha256(digest.get())) {
                throw new OciException("bad reference " + text + ": digest must be sha256:<64 hex digits>");
            }
        }
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw new OciException("bad reference " + text
                    + ": expected REGISTRY/REPOSITORY[:TAG|@DIGEST], e.g. localhost:5000/bootstrap:v1");
        }
        String registry = rest.substring(0, slash);
        if (!HOST.matcher(registry).matches()
                || !(registry.contains(".") || registry.contains(":") || registry.equals("localhost"))) {
            throw new OciException("bad reference " + text + ": '" + registry
                    + "' is not a registry host (a host name with a dot or port, or localhost)");
        }
        String path = rest.substring(slash + 1);
        Optional<String> tag = Optional.empty();
        int colon = path.lastIndexOf(':');
        if (colon >= 0) {
            tag = Optional.of(path.substring(colon + 1));
            path = path.substring(0, colon);
            if (!TAG.matcher(tag.get()).matches()) {
                throw new OciException("bad reference " + text + ": bad tag '" + tag.get() + "'");
            }
        }
        if (!REPOSITORY.matcher(path).matches()) {
            throw new OciException("bad reference " + text + ": bad repository name '" + path
                    + "' (lower case letters, digits, . _ - and /)");
        }
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = Optional.of("latest");
        }
        return new ModuleReference(registry, path, tag, digest);
    }

    /** Whether {@code text} has the shape of a reference rather than a path or an example name. */
    public static boolean looksLikeReference(String text) {
        try {
            parse(text);
            return true;
        } catch (OciException e) {
            return false;
        }
    }

    public ModuleReference withDigest(String newDigest) {
        return new ModuleReference(registry, repository, Optional.empty(), Optional.of(newDigest));
    }

    ContainerRef containerRef() {
        return ContainerRef.parse(toString());
    }

    @Override
    public String toString() {
        return registry + "/" + repository + tag.map(t -> ":" + t).orElse("")
                + digest.map(d -> "@" + d).orElse("");
    }
}
