#!/usr/bin/env bash
# `npm test`: builds winrmd, makes sure the real third-party clients and servers the tests drive are
# installed (Debian's python3-winrm, python3-requests-kerberos and python3-gssapi for /usr/bin/python3,
# curl, and MIT Kerberos: a throw-away KDC per test file, kinit/klist/kvno), then runs every test with
# vitest.
#
# The Kerberos tests never use the system's configuration: test/support/kdc.ts writes its own
# krb5.conf and kdc.conf in a temp directory and points KRB5_CONFIG / KRB5_KDC_PROFILE at them, and
# runs its own krb5kdc on a loopback port. So the packages are installed without asking anything
# (no default realm, no servers) and without starting the system krb5kdc/kadmind services.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="$PATH:/usr/sbin:/sbin"

missing=()
/usr/bin/python3 -c 'import winrm' >/dev/null 2>&1 || missing+=(python3-winrm)
/usr/bin/python3 -c 'import kerberos' >/dev/null 2>&1 || missing+=(python3-kerberos)
/usr/bin/python3 -c 'import requests_kerberos' >/dev/null 2>&1 || missing+=(python3-requests-kerberos)
/usr/bin/python3 -c 'import gssapi' >/dev/null 2>&1 || missing+=(python3-gssapi)
command -v curl >/dev/null 2>&1 || missing+=(curl)
# NTLM interop: ntlm-auth drives the raw NTLM/SPNEGO legs; gss-ntlmssp gives curl --negotiate an NTLM mech.
/usr/bin/python3 -c 'import ntlm_auth' >/dev/null 2>&1 || missing+=(python3-ntlm-auth)
[ -e /etc/gss/mech.d/mech.ntlmssp.conf ] || missing+=(gss-ntlmssp)
{ command -v krb5kdc && command -v kdb5_util; } >/dev/null 2>&1 || missing+=(krb5-kdc)
command -v kadmin.local >/dev/null 2>&1 || missing+=(krb5-admin-server)
{ command -v kinit && command -v klist && command -v kvno; } >/dev/null 2>&1 || missing+=(krb5-user)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test setup: installing ${missing[*]} from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    # krb5-config asks for a default realm and its servers: preseed empty answers (and run
    # noninteractive) so nothing prompts; the system krb5.conf stays the package's stock one, which the
    # tests never read (they bring their own configuration).
    if command -v debconf-set-selections >/dev/null 2>&1; then
      debconf-set-selections <<'EOF'
krb5-config krb5-config/read_conf boolean true
krb5-config krb5-config/add_servers_realm string
krb5-config krb5-config/default_realm string
krb5-config krb5-config/kerberos_servers string
krb5-config krb5-config/admin_server string
krb5-config krb5-config/add_servers boolean false
krb5-kdc krb5-kdc/debconf boolean false
EOF
    fi
    # Keep the packages' maintainer scripts from starting krb5kdc/kadmind: on machines without a
    # policy-rc.d, put one in place for the duration of the install only.
    policy=/usr/sbin/policy-rc.d
    own_policy=false
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\n# temporary, from winrmd scripts/test.sh: start no services during the install\nexit 101\n' >"$policy"
      chmod 755 "$policy"
      own_policy=true
      trap 'rm -f "$policy"' EXIT
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      "${missing[@]}" >/dev/null
    if [ "$own_policy" = true ]; then
      rm -f "$policy"
      trap - EXIT
    fi
    # On a systemd host the units may still be enabled for the next boot: the packages were missing a
    # minute ago, so nothing of the user's depends on them. The tests need no system KDC at all.
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      for unit in krb5-kdc krb5-admin-server; do
        case " ${missing[*]} " in
          *" $unit "*) systemctl disable --now "$unit" >/dev/null 2>&1 || true ;;
        esac
      done
    fi
  else
    echo "test setup: the tests need Debian's ${missing[*]} (for /usr/bin/python3 and the throw-away KDC);" >&2
    echo "install them as root with" >&2
    echo "    apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

npm run --silent build
exec npx vitest run "$@"
