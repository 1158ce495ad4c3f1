#!/usr/bin/env bash
# `npm test`: builds winrmd, makes sure the real third-party clients and servers the tests drive are
# installed (Debian's python3-winrm, python3-requests-kerberos and python3-gssapi for /usr/bin/python3,
# curl, and MIT Kerberos: a throw-away KDC per test file, kinit/klist/kvno; wabt's wat2wasm, which the
# WebAssembly kernels' tests compile their text with), then runs every test with vitest.
#
# The Kerberos tests never use the system's configuration: test/support/kdc.ts writes its own
# krb5.conf and kdc.conf in a temp directory and points KRB5_CONFIG / KRB5_KDC_PROFILE at them, and
# runs its own krb5kdc on a loopback port; the benchmark's smoke test likewise runs its own sshd. So
# the packages are installed (scripts/install-debian-packages.sh) without asking anything (no default
# realm, no servers) and without starting the system krb5kdc/kadmind/sshd services.
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
# The OpenSSH comparison benchmark's smoke test: a throw-away sshd (bench/compare/) and its client.
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
{ command -v ssh && command -v ssh-keygen; } >/dev/null 2>&1 || missing+=(openssh-client)
{ command -v kinit && command -v klist && command -v kvno; } >/dev/null 2>&1 || missing+=(krb5-user)
# The WebAssembly kernels' tests compile each kernel's text and compare it with the embedded module.
command -v wat2wasm >/dev/null 2>&1 || missing+=(wabt)

bash scripts/install-debian-packages.sh "${missing[@]}"

npm run --silent build
npm run --silent build:bench
exec npx vitest run "$@"
