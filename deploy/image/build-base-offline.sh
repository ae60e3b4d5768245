#!/usr/bin/env bash
# Builds the wasm-bpf base image (Java 25 runtime + libbpf1) without docker and without pulling
# any image: the same content Dockerfile.base describes, assembled from a Debian mirror and the
# local JDK instead of from eclipse-temurin:25-jre-noble.
#
#   1. debootstrap --variant=minbase bookworm + libbpf1 (and its libelf1/zlib1g) from the Debian
#      mirror apt already uses (or $DEBIAN_MIRROR);
#   2. a jlink'ed Java runtime from $JAVA_HOME in /opt/java/openjdk, with the modules jdeps finds in
#      cli/target/wasm-bpf.jar plus two service providers (zip file system, extended charsets);
#   3. one uncompressed layer + an image config written as an OCI image layout, which skopeo
#      converts into a docker-archive tarball that Jib takes as its base: tar://PATH.
#
# Usage: deploy/image/build-base-offline.sh [OUTPUT.tar]      (default deploy/target/base/wasm-bpf-base.tar)
# Then:  ./mvnw -f deploy/pom.xml package jib:buildTar -Dwasmbpf.base.image=tar://$(realpath OUTPUT.tar)
#
# Needs root (debootstrap, chroot), debootstrap, skopeo, python3, JDK 25, and cli/target/wasm-bpf.jar
# (./mvnw -B -o install -DskipTests at the root). Downloaded .debs are kept in
# deploy/target/debootstrap-cache so a second run does not download them again.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "${1:-$root/deploy/target/base/wasm-bpf-base.tar}")
java_home=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cli_jar=${WASM_BPF_JAR:-$root/cli/target/wasm-bpf.jar}
image_ref=wasm-bpf/base:25-jre-libbpf1
cache=$root/deploy/target/debootstrap-cache

die() { echo "build-base-offline: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap and chroot)"
command -v debootstrap >/dev/null || die "debootstrap missing: apt-get install -y debootstrap"
command -v skopeo >/dev/null || die "skopeo missing: apt-get install -y skopeo"
[ -x "$java_home/bin/jlink" ] || die "no jlink in JAVA_HOME=$java_home (needs a JDK 25)"
[ -f "$cli_jar" ] || die "$cli_jar missing: run ./mvnw -B -o install -DskipTests at the root first"

# The mirror apt already uses: the first deb.debian.org-style URI serving bookworm (deb822 or
# one-line format), unless DEBIAN_MIRROR says otherwise.
mirror=${DEBIAN_MIRROR:-$(
    { grep -hs -A3 '^URIs:' /etc/apt/sources.list.d/*.sources \
        | awk '/^URIs:/ {u=$2} /^Suites:.*bookworm( |$)/ && u {print u; exit}' || true
      grep -hs '^deb .* bookworm main' /etc/apt/sources.list | awk '{print $2}' || true
    } | grep -v security | head -n1 || true)}
[ -n "$mirror" ] || die "no Debian bookworm mirror found in /etc/apt/sources.list*: set DEBIAN_MIRROR"

work=$(mktemp -d /tmp/wasm-bpf-base.XXXXXX)
rootfs=$work/rootfs
cleanup() {
    # debootstrap mounts /proc and /sys inside the target while it works and may leave them
    # behind when it fails: never remove a tree that still has a mount below it.
    local m
    for m in $(findmnt -rn -o TARGET | grep "^$work/" | sort -r); do umount -l "$m" || true; done
    if findmnt -rn -o TARGET | grep -q "^$work/"; then
        echo "build-base-offline: mounts left under $work, not removing it" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
started=$(date +%s)

echo "== debootstrap bookworm (minbase + libbpf1) from $mirror"
mkdir -p "$cache"
debootstrap --variant=minbase --include=libbpf1 --cache-dir="$cache" \
    bookworm "$rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
[ -e "$rootfs/usr/lib/x86_64-linux-gnu/libbpf.so.1" ] || die "libbpf.so.1 not in the rootfs"

echo "== jlink Java runtime from $java_home"
# jdeps sees the classes; service providers are found at run time only, so add the two a JVM
# commonly needs: the zip file system and the extended charsets. (TLS, EC included, is in
# java.base since JDK 22; jdk.crypto.ec is an empty module in 25.)
modules=$("$java_home/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps "$cli_jar")
modules="$modules,jdk.zipfs,jdk.charsets"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --output "$rootfs/opt/java/openjdk"
echo "   modules: $modules"
# The java launcher finds libjli.so through /proc/self/exe: check it with a /proc of its own, in a
# private mount namespace that takes the mount away when it exits.
unshare --mount --propagation private -- /bin/sh -c \
    'mount -t proc proc "$1/proc" && exec chroot "$1" /opt/java/openjdk/bin/java -version' sh "$rootfs" \
    > "$work/java-version.txt" 2>&1 || { cat "$work/java-version.txt" >&2; die "Java does not start in the rootfs"; }
sed 's/^/   /' "$work/java-version.txt"
chroot "$rootfs" /sbin/ldconfig -p | grep -c 'libbpf\.so\.1 ' >/dev/null || die "libbpf.so.1 is not in the rootfs's ld cache"

echo "== slimming"
# Nothing below may delete through a mount (debootstrap unmounts its /proc and /sys on success).
if findmnt -rn -o TARGET | grep -q "^$rootfs/"; then die "mounts left under $rootfs"; fi
# Package lists, the .deb cache and documentation are not needed at run time; the dpkg database
# stays so the image is still a normal Debian system (dpkg -l shows libbpf1).
rm -rf "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
    "$rootfs"/var/log/* "$rootfs"/tmp/*
# Message translations are 34 MB of the minbase system; locale.alias stays (glibc reads it).
find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
# Keeps them out when someone installs more packages on top (as debian:*-slim images do).
printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-exclude /usr/share/man/*' \
    'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
    'path-include /usr/share/locale/locale.alias' > "$rootfs/etc/dpkg/dpkg.cfg.d/wasm-bpf-slim"
# Container runtimes mount their own /dev, /proc and /sys: keep the directories, not debootstrap's
# device nodes.
rm -rf "$rootfs"/dev/* "$rootfs"/proc/* "$rootfs"/sys/* 2>/dev/null || true
echo "   rootfs: $(du -sh --apparent-size "$rootfs" | cut -f1)"

echo "== image"
tar --numeric-owner --sort=name -C "$rootfs" -cf "$work/layer.tar" .
mkdir -p "$work/layout/blobs/sha256"
(cd "$work" && python3 - "$image_ref" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" <<'PY'
import hashlib, json, sys
ref, created = sys.argv[1], sys.argv[2]
def put(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(f"layout/blobs/sha256/{digest}", "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}
def put_file(path):
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk); size += len(chunk)
    import os
    os.rename(path, f"layout/blobs/sha256/{h.hexdigest()}")
    return {"digest": "sha256:" + h.hexdigest(), "size": size}
layer = put_file("layer.tar")
config = put(json.dumps({
    "architecture": "amd64", "os": "linux", "created": created,
    "config": {
        "Env": ["PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "JAVA_HOME=/opt/java/openjdk", "LANG=C.UTF-8"],
        "Cmd": ["/bin/bash"],
        "Labels": {"org.opencontainers.image.title": "wasm-bpf base: Debian bookworm, jlink'ed Java 25, libbpf1",
                   "org.opencontainers.image.description": "built offline by deploy/image/build-base-offline.sh"}},
    "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]},
    "history": [{"created": created, "created_by": "deploy/image/build-base-offline.sh"}]}).encode())
manifest = put(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", **layer}]}).encode())
with open("layout/index.json", "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
               **manifest, "annotations": {"org.opencontainers.image.ref.name": "base"}}]}, f)
with open("layout/oci-layout", "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
PY
)
mkdir -p "$(dirname "$out")"
rm -f "$out"
skopeo copy --quiet "oci:$work/layout:base" "docker-archive:$out:$image_ref"
echo "   $out: $(du -h --apparent-size "$out" | cut -f1) ($image_ref), built in $(( $(date +%s) - started )) s"
echo "Use it as the Jib base: -Dwasmbpf.base.image=tar://$out"
