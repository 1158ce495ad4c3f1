#!/bin/sh
# Makes the realm (first start only), the principals and the endpoints' keytabs, then runs krb5kdc.
#   LAB_ENDPOINTS   endpoint host names, blank-separated (each gets HTTP/<host> and /keytabs/<host>.keytab)
#   LAB_USERS       user principals to make, blank-separated
#   LAB_PASSWORD    their password (or LAB_PASSWORD_FILE, a file whose first line it is)
#   LAB_ADMIN_PASSWORD (or LAB_ADMIN_PASSWORD_FILE), when set: also makes admin/admin and runs kadmind,
#                   so that hosts join the realm themselves (kadmin ktadd), as the Kubernetes lab's do
set -eu
if [ -n "${LAB_PASSWORD_FILE:-}" ]; then LAB_PASSWORD=$(head -n 1 "$LAB_PASSWORD_FILE"); fi
if [ -n "${LAB_ADMIN_PASSWORD_FILE:-}" ]; then LAB_ADMIN_PASSWORD=$(head -n 1 "$LAB_ADMIN_PASSWORD_FILE"); fi
: "${LAB_PASSWORD:?set LAB_PASSWORD or LAB_PASSWORD_FILE}"
keytabs=${LAB_KEYTAB_DIR:-/keytabs}
mkdir -p "$keytabs"

if [ ! -e /var/lib/krb5kdc/principal ]; then
  # The master key only protects the database inside this container; nobody needs to know it.
  kdb5_util create -s -r LAB.TEST -P "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" >/dev/null
fi
for user in ${LAB_USERS:-alice}; do
  kadmin.local -q "addprinc -pw $LAB_PASSWORD $user" >/dev/null 2>&1 || kadmin.local -q "cpw -pw $LAB_PASSWORD $user" >/dev/null
done
for host in ${LAB_ENDPOINTS:-}; do
  kadmin.local -q "addprinc -randkey HTTP/$host" >/dev/null 2>&1 || true
  # Written beside, then renamed: an endpoint waiting for the file never reads half of it.
  rm -f "$keytabs/.$host.keytab"
  kadmin.local -q "ktadd -k $keytabs/.$host.keytab HTTP/$host" >/dev/null
  chmod 600 "$keytabs/.$host.keytab"
  mv "$keytabs/.$host.keytab" "$keytabs/$host.keytab"
  echo "lab-kdc: keytab for HTTP/$host@LAB.TEST in $keytabs/$host.keytab"
done
if [ -n "${LAB_ADMIN_PASSWORD:-}" ]; then
  kadmin.local -q "addprinc -pw $LAB_ADMIN_PASSWORD admin/admin" >/dev/null 2>&1 || kadmin.local -q "cpw -pw $LAB_ADMIN_PASSWORD admin/admin" >/dev/null
  # admin/admin may add HTTP/ service principals and give them new keys (ktadd); nothing else.
  printf 'admin/admin@LAB.TEST aci HTTP/*@LAB.TEST\n' >/etc/krb5kdc/kadm5.acl
  kadmind
  echo "lab-kdc: kadmind running for admin/admin"
fi
echo "lab-kdc: realm LAB.TEST ready"
exec krb5kdc -n
