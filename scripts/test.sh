#!/usr/bin/env bash
# `npm test`: builds winrmd, makes sure the real third-party clients the tests drive are installed
# (Debian's python3-winrm for /usr/bin/python3), then runs every test with vitest.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
/usr/bin/python3 -c 'import winrm' >/dev/null 2>&1 || missing+=(python3-winrm)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test setup: installing ${missing[*]} from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test setup: the tests need Debian's ${missing[*]} (for /usr/bin/python3); install them as root with" >&2
    echo "    apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

npm run --silent build
exec npx vitest run "$@"
