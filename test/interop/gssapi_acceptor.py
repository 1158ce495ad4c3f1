"""MIT's own GSS-API acceptor (python3-gssapi), as a reference to check hand-built Kerberos tokens against.

Usage: KRB5_CONFIG=... KRB5_KTNAME=<keytab> /usr/bin/python3 gssapi_acceptor.py < token.b64

Reads one base64 GSS token (an AP-REQ, raw krb5 or SPNEGO) on stdin, runs gss_accept_sec_context
with the keytab's keys and prints one JSON object:
  {"ok": true, "complete": true, "initiator": "alice@REALM", "token_b64": "<AP-REP>"}
  {"ok": false, "error": "<GSS major/minor message>"}
Exits 0 whenever it printed a result.
"""
import base64
import json
import sys

import gssapi


def main():
    token = base64.b64decode(sys.stdin.read().strip())
    try:
        creds = gssapi.Credentials(usage='accept')
        ctx = gssapi.SecurityContext(creds=creds, usage='accept')
        out = ctx.step(token)
        result = {
            'ok': True,
            'complete': bool(ctx.complete),
            'initiator': str(ctx.initiator_name) if ctx.complete else None,
            'token_b64': base64.b64encode(out).decode('ascii') if out else None,
        }
    except gssapi.exceptions.GSSError as exc:
        result = {'ok': False, 'error': str(exc)}
    json.dump(result, sys.stdout)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
