#!/usr/bin/env bash
# `npm run bench`: the micro-benchmarks (vitest bench, bench/*.bench.ts), then the comparison with
# OpenSSH (bench/compare/): winrmd beside a throw-away sshd on loopback, results in bench/results/.
# Installs what the comparison drives when it is missing (Debian's openssh-server and -client, MIT
# Kerberos for the throw-away KDC) without starting their system services. Arguments go to the
# comparison, e.g. `npm run bench -- --rounds 3 --shells 200`; `npm run bench -- --smoke` (or
# WINRMD_BENCH_SMOKE=1) is the short smoke mode and skips the micro-benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"

missing=()
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
{ command -v ssh && command -v ssh-keygen; } >/dev/null 2>&1 || missing+=(openssh-client)
{ command -v krb5kdc && command -v kdb5_util; } >/dev/null 2>&1 || missing+=(krb5-kdc)
command -v kadmin.local >/dev/null 2>&1 || missing+=(krb5-admin-server)
{ command -v kinit && command -v kvno; } >/dev/null 2>&1 || missing+=(krb5-user)
bash scripts/install-debian-packages.sh "${missing[@]}"

npm run --silent build
npm run --silent build:bench

smoke=false
[ "${WINRMD_BENCH_SMOKE:-}" = 1 ] && smoke=true
for arg in "$@"; do [ "$arg" = --smoke ] && smoke=true; done
if [ "$smoke" = false ]; then
  npx vitest bench --run --no-file-parallelism
fi
exec node dist-bench/bench/compare/main.js "$@"
