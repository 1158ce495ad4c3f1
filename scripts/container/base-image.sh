#!/usr/bin/env bash
# Makes the local stand-in for node:20-bookworm-slim that the container tests build on, because no
# registry is reachable from the test machines: Debian bookworm (minbase, by mmdebstrap from the
# Debian mirror apt already uses) plus this machine's own Node.js 20 and npm, imported with
# `podman import`. Skipped when the tag exists, so only a clean machine pays for it (about 30 s).
#
# Usage: base-image.sh TAG
set -euo pipefail
tag=${1:?usage: base-image.sh TAG}
podman=(podman --runtime runc)

if "${podman[@]}" image exists "$tag"; then
  echo "container base: $tag exists, kept"
  exit 0
fi

node_bin=$(readlink -f "$(command -v node)")
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
case "$("$node_bin" -v)" in
  v20.*) ;;
  *) echo "container base: the host's node is $("$node_bin" -v), the image must have Node 20" >&2; exit 1 ;;
esac
mirror=$(awk '/^URIs:/ {print $2; exit} /^deb / {print $2; exit}' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "container base: building $tag (bookworm from $mirror, node $("$node_bin" -v) from $node_bin)"
# minbase has what node needs to run (libstdc++6 comes with apt); ca-certificates as in the official
# images is left out: winrmd makes no outgoing TLS connections. The node binary is dynamically
# linked against bookworm's libc and libstdc++, the same ones the image gets.
mmdebstrap --quiet --variant=minbase bookworm "$work/rootfs.tar" "$mirror" \
  --customize-hook="copy-in $node_bin /usr/local/bin" \
  --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules\"" \
  --customize-hook="copy-in $npm_dir /usr/local/lib/node_modules" \
  --customize-hook="chroot \"\$1\" ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm" \
  --customize-hook="chroot \"\$1\" ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx" \
  --customize-hook="chroot \"\$1\" node -v"
"${podman[@]}" import --quiet --change 'CMD ["node"]' "$work/rootfs.tar" "$tag" >/dev/null
echo "container base: $tag ready"
