#!/usr/bin/env bash
# Installs the Debian packages named as arguments, as root, without asking anything and without
# starting any service they bring (krb5kdc, kadmind, sshd): the tests and benchmarks run their own
# throw-away KDC and sshd with their own configuration, never the system's. Used by scripts/test.sh,
# scripts/bench.sh, scripts/test-container.sh and scripts/test-cgroup-vm.sh, which decide what is
# missing. Not root (or not Debian): says what to install and fails.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

[ $# -gt 0 ] || exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: this needs Debian's $* (the real clients and servers the tests and benchmarks drive);" >&2
  echo "install them as root with" >&2
  echo "    apt-get install $*" >&2
  exit 1
fi

echo "setup: installing $* from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
# krb5-config asks for a default realm and its servers: preseed empty answers (and run
# noninteractive) so nothing prompts; the system krb5.conf stays the package's stock one, which the
# tests never read (they bring their own configuration).
if command -v debconf-set-selections >/dev/null 2>&1; then
  debconf-set-selections <<'SEL'
krb5-config krb5-config/read_conf boolean true
krb5-config krb5-config/add_servers_realm string
krb5-config krb5-config/default_realm string
krb5-config krb5-config/kerberos_servers string
krb5-config krb5-config/admin_server string
krb5-config krb5-config/add_servers boolean false
krb5-kdc krb5-kdc/debconf boolean false
SEL
fi
# Keep the packages' maintainer scripts from starting krb5kdc/kadmind/sshd: on machines without a
# policy-rc.d, put one in place for the duration of the install only.
policy=/usr/sbin/policy-rc.d
own_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# temporary, from winrmd scripts/install-debian-packages.sh: start no services during the install\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  own_policy=true
  trap 'rm -f "$policy"' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  "$@" >/dev/null
if [ "$own_policy" = true ]; then
  rm -f "$policy"
  trap - EXIT
fi
# On a systemd host the units may still be enabled for the next boot: the packages were missing a
# minute ago, so nothing of the user's depends on them. Nothing here needs a system KDC or sshd.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  for package in "$@"; do
    case "$package" in
      krb5-kdc | krb5-admin-server) systemctl disable --now "$package" >/dev/null 2>&1 || true ;;
      openssh-server) systemctl disable --now ssh.service ssh.socket >/dev/null 2>&1 || true ;;
    esac
  done
fi
