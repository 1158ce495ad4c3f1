#!/usr/bin/env bash
# `npm run test:cgroup-vm`: Winrs.MaxMemoryPerShellMB's cgroup v2 path on a real kernel. Test
# machines may offer no cgroup v2 memory controller to winrmd (a hybrid layout binds memory to v1),
# so this boots Debian's kernel in QEMU (KVM when usable, else TCG emulation: about half a minute)
# with the host's root filesystem shared read-only, and test/cgroup-vm/ asserts on what winrmd and
# pywinrm did in there (scripts/cgroup-vm/ says how the guest is set up).
#
# Needs root. Installs the Debian packages it uses when missing: qemu-system-x86, busybox-static
# and cpio (the initramfs), python3-winrm (the client, run inside the guest from the host's root).
# Debian's kernel package is downloaded, not installed: extracted once into WINRMD_VM_CACHE.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"

if [ "$(id -u)" -ne 0 ]; then
  echo "test:cgroup-vm: skipped, it needs root (the guest shares the host's root filesystem)" >&2
  exit 0
fi

missing=()
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || missing+=(busybox-static)
command -v cpio >/dev/null 2>&1 || missing+=(cpio)
/usr/bin/python3 -c 'import winrm' >/dev/null 2>&1 || missing+=(python3-winrm)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
bash scripts/install-debian-packages.sh "${missing[@]}"

# The modules the guest loads, in order: 9p over virtio (the shared root) and overlayfs.
modules=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci 9pnet 9pnet_virtio netfs fscache 9p overlay)

# The kernel: what linux-image-amd64 depends on now. Its vmlinuz and those modules (uncompressed)
# are kept in the cache, once per version; the rest of the package is not.
cache=${WINRMD_VM_CACHE:-/var/cache/winrmd-test/cgroup-vm}
mkdir -p "$cache"
depends() { apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n1; }
image=$(depends)
if [ -z "$image" ]; then
  apt-get update -qq
  image=$(depends)
fi
[ -n "$image" ] || { echo "test:cgroup-vm: apt-cache knows no linux-image-amd64" >&2; exit 1; }
kernel_dir=$cache/$image
if [ ! -e "$kernel_dir/vmlinuz" ]; then
  echo "test:cgroup-vm: downloading $image (Debian's kernel package, not installed)"
  find "$cache" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
  download=$(mktemp -d)
  # Readable by apt's _apt user, which downloads.
  chmod 755 "$download"
  (cd "$download" && apt-get download -qq "$image")
  dpkg-deb -x "$download"/*.deb "$download/deb"
  mkdir -p "$kernel_dir.tmp/modules"
  cp "$download"/deb/boot/vmlinuz-* "$kernel_dir.tmp/vmlinuz"
  for module in "${modules[@]}"; do
    file=$(find "$download/deb/lib/modules" -name "$module.ko*" | head -n1)
    [ -n "$file" ] || { echo "test:cgroup-vm: $image has no module $module" >&2; exit 1; }
    case "$file" in
      *.ko.xz) xz -dc "$file" >"$kernel_dir.tmp/modules/$module.ko" ;;
      *.ko.zst) zstd -qdc "$file" >"$kernel_dir.tmp/modules/$module.ko" ;;
      *) cp "$file" "$kernel_dir.tmp/modules/$module.ko" ;;
    esac
  done
  rm -rf "$download"
  mv "$kernel_dir.tmp" "$kernel_dir"
fi

# The initramfs: busybox, the modules, init.sh.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys"
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp -r "$kernel_dir/modules" "$root/modules"
printf '%s\n' "${modules[@]}" >"$root/modules/order"
cp scripts/cgroup-vm/init.sh "$root/init"
chmod 755 "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1 >"$work/initrd.gz")

npm run --silent build
export WINRMD_VM_KERNEL=$kernel_dir/vmlinuz WINRMD_VM_INITRD=$work/initrd.gz
npx vitest run --config vitest.cgroup-vm.config.ts "$@"
