#!/bin/sh
# /init of the cgroup test VM's initramfs (scripts/test-cgroup-vm.sh builds it with busybox-static
# and the kernel modules named in MODULES). The VM's root is the host's own root, shared read-only
# over 9p with a tmpfs overlay on top, so the guest runs the host's node, python3 and this checkout
# unchanged and can write (useradd, state directories) without touching the host. Then it runs
# inside.sh in that root and powers off. The kernel hands `winrmd_repo=...` from its command line
# to this script as an environment variable, and `winrmd_scenarios=...` (default: all) likewise.
export PATH=/bin
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sys /sys
$bb mount -t devtmpfs dev /dev
for module in $($bb cat /modules/order); do
  $bb insmod "/modules/$module.ko" || echo "winrmd-vm: insmod $module failed"
done
$bb mkdir -p /lower /rw /newroot
$bb mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=524288,cache=loose hostroot /lower
$bb mount -t tmpfs -o size=512m tmpfs /rw
$bb mkdir /rw/upper /rw/work
$bb mount -t overlay overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /newroot
$bb mount -t proc proc /newroot/proc
$bb mount -t sysfs sys /newroot/sys
$bb mount -t devtmpfs dev /newroot/dev
$bb mount -t cgroup2 none /newroot/sys/fs/cgroup
# /run gets a fresh tmpfs (the host's sockets and pid files mean nothing in here); /tmp stays the
# overlay's, writable all the same, since the checkout itself may live under /tmp.
$bb mount -t tmpfs tmpfs /newroot/run
$bb chroot /newroot /bin/sh "$winrmd_repo/scripts/cgroup-vm/inside.sh" "$winrmd_repo" "$winrmd_scenarios"
echo "winrmd-vm: inside.sh exited with $?"
$bb poweroff -f
