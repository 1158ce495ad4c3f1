#!/usr/bin/env bash
# `npm run test:container`: builds the container image and the lab's images with podman and runs
# test/container/ against them. Needs root (podman runs rootful here). Installs the Debian packages
# it drives when missing: podman with runc, netavark and aardvark-dns (the lab's host names),
# podman-compose, mmdebstrap (the local base image), and the host-side pywinrm.
#
# No registry is reachable from the test machines, so the images build on a local stand-in for
# node:20-bookworm-slim (scripts/container/base-image.sh; cached between runs under BASE_TAG) and
# with --pull=never. The host's CA bundle and Node headers go into a test-only build base (the
# build stage's npm ci must reach the npm registry through this network's TLS proxy, and node-gyp
# cannot download headers): the shipped Dockerfile knows nothing of them.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"

if [ "$(id -u)" -ne 0 ]; then
  echo "test:container: skipped, it needs root (podman builds and runs the images as root)" >&2
  exit 0
fi

missing=()
for tool in podman runc podman-compose mmdebstrap; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -x /usr/lib/podman/netavark ] || missing+=(netavark)
[ -x /usr/lib/podman/aardvark-dns ] || missing+=(aardvark-dns)
/usr/bin/python3 -c 'import winrm' >/dev/null 2>&1 || missing+=(python3-winrm)
/usr/bin/python3 -c 'import ntlm_auth' >/dev/null 2>&1 || missing+=(python3-ntlm-auth)
# Without recommends (as the shared script installs): they would bring crun (which this machine's
# cgroups defeat), buildah, fuse-overlayfs.
bash scripts/install-debian-packages.sh "${missing[@]}"

export CONTAINERS_CONF="$PWD/test/container/containers.conf"
export WINRMD_TEST_BASE=${WINRMD_TEST_BASE:-localhost/winrmd-test-base:bookworm-node20}
export WINRMD_TEST_IMAGE=localhost/winrmd-test:latest
export WINRMD_TEST_KDC_IMAGE=localhost/winrmd-test-lab-kdc:latest
export WINRMD_TEST_CLIENT_IMAGE=localhost/winrmd-test-lab-client:latest
build_base=localhost/winrmd-test-build-base:latest

cleanup() {
  podman rmi --force "$WINRMD_TEST_IMAGE" "$WINRMD_TEST_KDC_IMAGE" "$WINRMD_TEST_CLIENT_IMAGE" "$build_base" >/dev/null 2>&1 || true
}
trap cleanup EXIT

started=$SECONDS
bash scripts/container/base-image.sh "$WINRMD_TEST_BASE"

work=$(mktemp -d)
trap 'rm -rf "$work"; cleanup' EXIT
cp /etc/ssl/certs/ca-certificates.crt "$work/ca.pem"
node_include=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")/include/node
if [ -d "$node_include" ]; then cp -r "$node_include" "$work/node-include"; else mkdir "$work/node-include"; fi
cat >"$work/Containerfile" <<'CONTAINERFILE'
ARG BASE
FROM ${BASE}
COPY ca.pem /usr/local/share/winrmd-test/host-ca.pem
COPY node-include /usr/local/include/node
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/winrmd-test/host-ca.pem npm_config_nodedir=/usr/local
CONTAINERFILE
podman build --quiet --pull=never --build-arg "BASE=$WINRMD_TEST_BASE" -t "$build_base" "$work" >/dev/null

# --layers=false: nothing of the build stage (a gigabyte with the toolchain) stays behind.
build=(podman build --quiet --pull=never --layers=false --network host --format docker --build-arg "BASE=$WINRMD_TEST_BASE")
echo "test:container: building $WINRMD_TEST_IMAGE"
"${build[@]}" --build-arg "BUILD_BASE=$build_base" -t "$WINRMD_TEST_IMAGE" . >/dev/null
echo "test:container: building the lab's KDC and client"
"${build[@]}" -f lab/kdc/Containerfile -t "$WINRMD_TEST_KDC_IMAGE" lab >/dev/null
"${build[@]}" -f lab/client/Containerfile -t "$WINRMD_TEST_CLIENT_IMAGE" lab >/dev/null
echo "test:container: images ready after $((SECONDS - started)) s;" \
  "$WINRMD_TEST_IMAGE is $(podman image inspect --format '{{.Size}}' "$WINRMD_TEST_IMAGE") bytes," \
  "its base $(podman image inspect --format '{{.Size}}' "$WINRMD_TEST_BASE")"

npx vitest run --config vitest.container.config.ts "$@"
