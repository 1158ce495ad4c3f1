#!/bin/sh
# A lab endpoint: waits for the keytab the KDC makes for HTTP/<this host>, then runs winrmd with it.
set -eu
: "${LAB_PASSWORD:?set LAB_PASSWORD}"
# The users file names a password file (as a mounted secret would be); make it from the environment.
umask 077
mkdir -p /run/lab
printf '%s\n' "$LAB_PASSWORD" >/run/lab/password
keytab=${LAB_KEYTAB_DIR:-/keytabs}/$(hostname).keytab
waited=0
while [ ! -s "$keytab" ]; do
  if [ "$waited" -ge 120 ]; then echo "lab endpoint: no keytab at $keytab after 120 s" >&2; exit 1; fi
  sleep 1
  waited=$((waited + 1))
done
exec winrmd serve --set "Service.Auth.Keytab=$keytab" "$@"
