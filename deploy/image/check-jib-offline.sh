#!/usr/bin/env bash
# Checks the Jib configuration without network access: serves a placeholder base image (one file,
# no JRE, no libbpf — NOT runnable) from a local docker-registry, builds the wasm-bpf image tarball
# on top of it with jib:buildTar, and prints the entrypoint skopeo reads back from the tarball.
# Needs: docker-registry, skopeo, python3, and the root modules installed (./mvnw install -DskipTests).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/wasm-bpf-jib.XXXXXX)
registry_pid=
cleanup() { [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/rootfs/etc" "$work/layout/blobs/sha256" "$work/storage"
echo "placeholder base image: no JRE, no libbpf" > "$work/rootfs/etc/wasm-bpf-placeholder-base"
tar -C "$work/rootfs" -cf "$work/layer.tar" etc
(cd "$work" && python3 - <<'PY'
import hashlib, json
def put(data):
    digest = hashlib.sha256(data).hexdigest()
    open(f"layout/blobs/sha256/{digest}", "wb").write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}
layer = put(open("layer.tar", "rb").read())
config = put(json.dumps({"architecture": "amd64", "os": "linux", "config": {"Env": ["PATH=/usr/bin:/bin"]},
                         "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}}).encode())
manifest = put(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config},
                           "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", **layer}]}).encode())
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", **manifest,
           "annotations": {"org.opencontainers.image.ref.name": "1"}}]}, open("layout/index.json", "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open("layout/oci-layout", "w"))
PY
)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$work/storage" "$port" > "$work/config.yml"
/usr/bin/docker-registry serve "$work/config.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
skopeo copy --quiet --dest-tls-verify=false "oci:$work/layout:1" "docker://127.0.0.1:$port/placeholder/base:1"

"$root/mvnw" -B -q -f "$root/deploy/pom.xml" package jib:buildTar \
    -Dwasmbpf.base.image="127.0.0.1:$port/placeholder/base:1" -Djib.allowInsecureRegistries=true
skopeo inspect --config "docker-archive:$root/deploy/target/wasm-bpf-image.tar" \
    | python3 -c 'import json, sys; c = json.load(sys.stdin)["config"]; print("Entrypoint:", c["Entrypoint"]); print("Env:", c["Env"])'
