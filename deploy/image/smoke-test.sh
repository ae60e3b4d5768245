#!/usr/bin/env bash
# Runs the wasm-bpf container image without a container engine, to prove it works on this kernel:
# unpacks the image's layers (in order) into a temporary rootfs, then runs the image's own
# entrypoint and environment there with chroot, inside a private mount namespace (unshare -m) that
# gets /proc, the host's /sys (btf, bpffs, tracefs, cgroup) and /dev, like the DaemonSet does.
# The module is the `bootstrap` example, run twice: bundled in the image (`wasm-bpf bootstrap`), then
# pulled by reference (`wasm-bpf run REF`, the pull the DaemonSet's daemon makes for a declared module's
# reference), pushed by the image's CLI to a throwaway local
# docker-registry and pulled back. Each time the test waits for the header, execs a uniquely named
# program on the host, waits for that program's EXEC event, then stops wasm-bpf with SIGTERM and
# expects exit status 0.
#
# Usage: deploy/image/smoke-test.sh [IMAGE.tar]     (default deploy/target/wasm-bpf-image.tar,
#                                                   as written by jib:buildTar)
# Also checks that the JVM mapped the image's libbpf (not the host's), holds the BPF programs, and
# (with bpftool) that none of its programs, maps or links is left in the kernel after it exits.
# Needs root, skopeo, docker-registry, curl, python3, unshare/chroot (util-linux, coreutils);
# bpftool optional.
# Exits non-zero on failure; removes its temp dir, mounts and registry in any case.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
image=$(realpath -m "${1:-$root/deploy/target/wasm-bpf-image.tar}")
wait_seconds=${SMOKE_TIMEOUT:-120}

die() { echo "smoke-test: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (chroot, mounts, bpf())"
[ -f "$image" ] || die "$image missing: build it with jib:buildTar (see deploy/README.md)"
command -v skopeo >/dev/null || die "skopeo missing: apt-get install -y skopeo"

work=$(mktemp -d /tmp/wasm-bpf-smoke.XXXXXX)
rootfs=$work/rootfs
runner_pid=
registry_pid=
cleanup() {
    local status=$?
    set +e
    # A wasm-bpf still running (failed check): SIGTERM, 10 s to release its kernel objects, then
    # SIGKILL. java.pid is emptied after every run, so it never names a recycled pid.
    local java_pid; java_pid=$(cat "$work/java.pid" 2>/dev/null)
    if [ -n "$java_pid" ] && kill -0 "$java_pid" 2>/dev/null; then
        kill -TERM "$java_pid"
        for _ in $(seq 50); do kill -0 "$java_pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$java_pid" 2>/dev/null
    fi
    [ -n "$runner_pid" ] && wait "$runner_pid" 2>/dev/null
    if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null; wait "$registry_pid" 2>/dev/null; fi
    # The mounts live in the runner's private mount namespace and vanish with it; this is a guard
    # in case anything ever shows up in ours: never rm -rf a tree with /sys or /dev mounted below.
    local m
    for m in $(findmnt -rn -o TARGET | grep "^$work/" | sort -r); do umount -l "$m" || true; done
    if findmnt -rn -o TARGET | grep -q "^$work/"; then
        echo "smoke-test: mounts left under $work, not removing it" >&2
    else
        rm -rf "$work"
    fi
    exit $status
}
trap cleanup EXIT

echo "== image $image ($(du -h --apparent-size "$image" | cut -f1))"
skopeo copy --quiet "docker-archive:$image" "dir:$work/image"
skopeo inspect --config "docker-archive:$image" > "$work/config.json"
# One NUL-terminated entry per line: the layers in order, then entrypoint, env, working dir.
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
manifest = json.load(open(f"{work}/image/manifest.json"))
config = json.load(open(f"{work}/config.json"))["config"]
def write(name, items):
    with open(f"{work}/{name}", "wb") as f:
        for item in items:
            f.write(item.encode() + b"\0")
write("layers", [layer["digest"].split(":", 1)[1] for layer in manifest["layers"]])
write("entrypoint", (config.get("Entrypoint") or []) + (config.get("Cmd") or []))
write("env", config.get("Env") or [])
write("workdir", [config.get("WorkingDir") or "/"])
PY
mapfile -d '' layers < "$work/layers"
mapfile -d '' entrypoint < "$work/entrypoint"
mapfile -d '' environment < "$work/env"
mapfile -d '' workdir < "$work/workdir"
[ ${#entrypoint[@]} -gt 0 ] || die "the image has no entrypoint"
echo "   layers: ${#layers[@]}, entrypoint: ${entrypoint[*]}"
echo "   env: ${environment[*]}"

mkdir -p "$rootfs"
for digest in "${layers[@]}"; do
    # GNU tar detects gzip by itself. Whiteouts (.wh.*) are not interpreted: Jib layers and the
    # offline base have none; fail loudly if that ever changes.
    if tar --warning=no-unknown-keyword -tf "$work/image/$digest" | grep '\(^\|/\)\.wh\.' >/dev/null; then
        die "layer $digest has whiteout files; this script does not apply them"
    fi
    tar --numeric-owner --warning=no-unknown-keyword -xf "$work/image/$digest" -C "$rootfs"
done
echo "   rootfs: $(du -sh --apparent-size "$rootfs" | cut -f1)"
mkdir -p "$rootfs/proc" "$rootfs/sys" "$rootfs/dev"
: > "$work/java.pid"

# A host program with a name nobody else uses, so its EXEC event is unambiguous.
marker=wbpf-smoke-$$
marker=${marker:0:15}
cp /bin/true "$work/$marker"

# The container: a private mount namespace (mounts never propagate back to the host and vanish
# when it exits), kernel filesystems bound in, then the image's entrypoint + ARGS with only the
# image's environment, in the host's PID and network namespaces (hostPID: true; the registry on
# 127.0.0.1 is reachable). Writes the java pid to $work/java.pid.
container() {
    unshare --mount --propagation private -- /bin/bash -c '
        set -e
        rootfs=$1 pidfile=$2; shift 2
        mount -t proc proc "$rootfs/proc"
        mount --rbind /sys "$rootfs/sys"
        mount --rbind /dev "$rootfs/dev"
        env -i "${@}" &
        echo $! > "$pidfile"
        wait $!
    ' container "$rootfs" "$work/java.pid" \
        "${environment[@]}" /usr/sbin/chroot "$rootfs" /bin/sh -c 'cd "$1" && shift && exec "$@"' sh \
        "${workdir[0]}" "${entrypoint[@]}" "$@"
}

# Runs the container with ARGS (a bootstrap module), waits for the header, execs the marker on the
# host until its EXEC event shows, stops wasm-bpf with SIGTERM and expects exit status 0.
expect_bootstrap() {
    local log=$work/run-$1; shift
    echo "== run: ${entrypoint[*]} $*"
    local started; started=$(date +%s.%N)
    container "$@" > "$log.out" 2> "$log.err" &
    runner_pid=$!
    local deadline=$(( $(date +%s) + wait_seconds )) header= event= status
    while [ "$(date +%s)" -lt "$deadline" ]; do
        if grep -q '^TIME *EVENT *COMM' "$log.out"; then header=1; break; fi
        kill -0 "$runner_pid" 2>/dev/null || break
        sleep 0.2
    done
    if [ -z "$header" ]; then
        sed 's/^/   stderr: /' "$log.err" >&2
        die "no bootstrap header within ${wait_seconds}s"
    fi
    echo "   header after $(python3 -c "import time; print(f'{time.time() - $started:.1f}')") s"
    while [ "$(date +%s)" -lt "$deadline" ]; do
        "$work/$marker"
        if grep -q "EXEC  *$marker " "$log.out"; then event=1; break; fi
        kill -0 "$runner_pid" 2>/dev/null || break
        sleep 0.5
    done
    if [ -z "$event" ]; then
        sed 's/^/   stdout: /' "$log.out" >&2
        sed 's/^/   stderr: /' "$log.err" >&2
        die "no EXEC event for $marker within ${wait_seconds}s"
    fi
    local java_pid; java_pid=$(cat "$work/java.pid")
    # The libbpf this JVM mapped must be the image's file, not the host's (maps shows paths as
    # seen from our root, so the image's files are under $rootfs).
    local lib inode
    read -r lib inode < <(awk '$6 ~ /libbpf\.so/ {print $6, $5; exit}' "/proc/$java_pid/maps")
    [ -n "$lib" ] || die "the container's java has no libbpf mapped"
    case $lib in "$rootfs"/*) ;; *) die "java mapped $lib, not the image's libbpf" ;; esac
    [ "$(stat -L -c %i "$lib")" = "$inode" ] || die "$lib mapped by java is not the image's file"
    echo "   libbpf: ${lib#"$rootfs"}, the image's file (inode $inode)"
    # The BPF objects this JVM holds (fdinfo of its fds), to check they are gone after exit.
    local ids; ids=$(grep -h -E '^(prog|map|link)_id:' "/proc/$java_pid"/fdinfo/* 2>/dev/null | sort -u \
        | sed 's/_id:[[:space:]]*/ /' | tr '\n' ' ')
    grep -q prog <<< "$ids" || die "the container's java holds no BPF program"
    echo "   held by java: $(grep -o 'prog' <<< "$ids" | wc -l) programs, $(grep -o 'map' <<< "$ids" | wc -l) maps, $(grep -o 'link' <<< "$ids" | wc -l) links"
    # SIGTERM, as Kubernetes sends it: the runtime ends the module at its next host call and
    # closes every kernel object, then exits 0.
    kill -TERM "$java_pid"
    set +e
    wait "$runner_pid"
    status=$?
    set -e
    runner_pid=
    : > "$work/java.pid"
    grep -m1 '^TIME' "$log.out" | sed 's/^/   /'
    grep -m1 "EXEC  *$marker " "$log.out" | sed 's/^/   /'
    echo "   events: $(grep -c ' EXEC \| EXIT ' "$log.out") EXEC/EXIT lines; stderr: $(wc -l < "$log.err") lines"
    sed -n '1,5s/^/   stderr: /p' "$log.err"
    echo "   exit status after SIGTERM: $status"
    [ "$status" = 0 ] || { sed 's/^/   stderr: /' "$log.err" >&2; die "wasm-bpf exited with $status"; }
    if command -v bpftool >/dev/null; then
        local kind id left=
        while read -r kind id; do
            [ -n "$kind" ] || continue
            if bpftool "$kind" show id "$id" >/dev/null 2>&1; then left="$left $kind $id"; fi
        done < <(xargs -n2 <<< "$ids")
        [ -z "$left" ] || die "still in the kernel after exit:$left"
        echo "   after exit: none of them is left in the kernel (bpftool)"
    fi
}

# 1. The bundled example, straight from the image.
expect_bootstrap bundled bootstrap

# 2. `run REF`, the module pulled from a registry (as the DaemonSet's daemon pulls a declared module). The module is pushed
#    with the image's own CLI to a throwaway docker-registry on 127.0.0.1 (plain HTTP).
command -v docker-registry >/dev/null || die "docker-registry missing: apt-get install -y docker-registry"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/registry"
printf 'version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$work/registry" "$port" > "$work/registry.yml"
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$port/v2/" >/dev/null || die "docker-registry did not start (see $work/registry.log)"
echo "== push: ${entrypoint[*]} push --plain-http 127.0.0.1:$port/wasm-bpf/bootstrap:v1 bootstrap"
container push --plain-http "127.0.0.1:$port/wasm-bpf/bootstrap:v1" bootstrap > "$work/push.out" 2> "$work/push.err" \
    || { cat "$work/push.err" >&2; die "push failed"; }
: > "$work/java.pid"
pinned=$(tail -n1 "$work/push.out")
case $pinned in *@sha256:*) ;; *) cat "$work/push.err" >&2; die "push printed no pinned reference: $pinned" ;; esac
echo "   $pinned"
expect_bootstrap oci run --plain-http "$pinned"
echo "smoke-test: OK"
