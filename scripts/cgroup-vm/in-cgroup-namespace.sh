#!/bin/sh
# in-cgroup-namespace.sh CGROUP COMMAND...: runs COMMAND as a container with its own cgroup
# namespace would: inside the cgroup /sys/fs/cgroup/CGROUP, made the root of a new cgroup namespace,
# with cgroup2 mounted afresh in a new mount namespace, so that /sys/fs/cgroup shows that root (the
# old mount goes first: the kernel refuses the same hierarchy mounted on its own root).
cgroup=$1
shift
echo $$ >"/sys/fs/cgroup/$cgroup/cgroup.procs" || exit 1
exec unshare --cgroup --mount sh -c 'umount /sys/fs/cgroup && mount -t cgroup2 cgroup2 /sys/fs/cgroup && exec "$@"' sh "$@"
