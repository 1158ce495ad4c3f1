#!/bin/sh
# Runs inside the cgroup test VM (init.sh), as root in the host's root filesystem under a tmpfs
# overlay, on a real kernel with a cgroup v2 memory controller. Starts winrmd twice and drives each
# with pywinrm (check.py), which prints the facts the test asserts on as `winrmd-vm-fact {...}`:
#
# 1. delegated: winrmd in the root of its own cgroup namespace over /winrmd-ct, as in a container
#    started with a private cgroup namespace (a sleep shares it, as a container's init would): the
#    per-shell memory cgroups are used;
# 2. fallback: winrmd in the VM's root cgroup in the initial namespace, which is not its to
#    rearrange: it says so at start, and RLIMIT_DATA alone bounds the commands.
repo=$1
scenarios=${2:-delegated fallback}
cd "$repo" || exit 1
limit_mb=200
ip link set lo up

users=/tmp/users.yaml
printf 'users:\n  - name: vmuser\n    password: Vm-Passw0rd\n    groups: [Administrators]\n' >"$users"

# Starts winrmd with the command given in front of it ($@), waits for its port, runs check.py, stops it.
run_scenario() {
  scenario=$1
  shift
  state=/tmp/state-$scenario
  mkdir -p "$state"
  WINRMD_USERS_FILE=$users "$@" bin/winrmd serve --state-dir "$state" --bind 127.0.0.1 \
    --http-port 5985 --https-port 5986 --set Service.AllowUnencrypted=true \
    --set "Winrs.MaxMemoryPerShellMB=$limit_mb" >"/tmp/winrmd-$scenario.log" 2>&1 &
  server=$!
  if ! python3 scripts/cgroup-vm/check.py "$scenario" "$limit_mb" "$server"; then
    sed "s/^/winrmd-vm-error $scenario /" "/tmp/winrmd-$scenario.log"
  fi
  kill "$server" 2>/dev/null
  wait "$server"
  # The start line that says which mechanisms bound the shells.
  grep '"event":"memory-limit"' "/tmp/winrmd-$scenario.log" | sed "s/^/winrmd-vm-log $scenario /"
}

# A container's view (in-cgroup-namespace.sh): a cgroup offered memory, as the root of winrmd's
# own cgroup namespace.
# A second process shares that cgroup, as a container's init would; winrmd must move it too.
case " $scenarios " in *" delegated "*)
  echo +memory >/sys/fs/cgroup/cgroup.subtree_control
  mkdir /sys/fs/cgroup/winrmd-ct
  sleep 600 &
  companion=$!
  echo "$companion" >/sys/fs/cgroup/winrmd-ct/cgroup.procs
  run_scenario delegated sh scripts/cgroup-vm/in-cgroup-namespace.sh winrmd-ct
  printf 'winrmd-vm-fact {"scenario": "delegated", "name": "companionCgroup", "value": "%s"}\n' \
    "$(sed -n 's/^0:://p' "/proc/$companion/cgroup")"
  kill "$companion"
esac
case " $scenarios " in *" fallback "*) run_scenario fallback env ;; esac
echo "winrmd-vm-done"
