"""Drives pywinrm (0.3.0, Debian's python3-winrm) with transport='kerberos' against a winrmd endpoint.

pywinrm's Kerberos transport is Debian's python3-requests-kerberos (0.12, on the `kerberos` module):
`Authorization: Negotiate <raw krb5 AP-REQ>` sent preemptively with the first request, mutual
authentication REQUIRED (the 200 must carry the AP-REP in WWW-Authenticate), channel bindings over
HTTPS from the second handshake on. That version has no WinRM message encryption for Kerberos, so
pywinrm sends plain SOAP: use it over HTTPS.

Usage: KRB5_CONFIG=... KRB5CCNAME=... /usr/bin/python3 pywinrm_kerberos_client.py '<json spec>'  (or stdin)

Spec (steps and output exactly as pywinrm_client.py):
  {
    "endpoint": "https://127.0.0.1:5986/wsman",
    "principal": "alice@REALM",                # optional: pywinrm's username (the initiator); default the cache's
    "hostname_override": "localhost",          # optional: kerberos_hostname_override (SPN HTTP/<this>)
    "service": "HTTP",                         # optional, pywinrm's default
    "ccache": "FILE:/tmp/...",                 # optional: sets KRB5CCNAME
    "krb5_config": "/tmp/.../krb5.conf",       # optional: sets KRB5_CONFIG
    "message_encryption": "auto",              # optional
    "send_cbt": true,                          # optional
    "steps": [...]
  }
"""
import json
import os
import sys

sys.dont_write_bytecode = True  # importing pywinrm_client must leave no __pycache__ in the checkout

import winrm
from winrm.protocol import Protocol

import pywinrm_client  # same directory: describe, run_in_shell


def run(spec, results):
    options = {
        'transport': 'kerberos',
        'server_cert_validation': 'ignore',
        'message_encryption': spec.get('message_encryption', 'auto'),
        'send_cbt': spec.get('send_cbt', True),
        'service': spec.get('service', 'HTTP'),
    }
    if spec.get('hostname_override'):
        options['kerberos_hostname_override'] = spec['hostname_override']
    principal = spec.get('principal')
    protocol = Protocol(spec['endpoint'], username=principal, password=None, **options)
    shell_id = None
    try:
        for step in spec['steps']:
            for _ in range(step.get('repeat', 1)):
                if step['op'] == 'run':
                    if shell_id is None:
                        shell_id = protocol.open_shell()
                    results.append(pywinrm_client.run_in_shell(protocol, shell_id, step))
                elif step['op'] == 'session_run_cmd':
                    session = winrm.Session(spec['endpoint'], auth=(principal, None), **options)
                    response = session.run_cmd(step['command'], step.get('args', []))
                    results.append(pywinrm_client.describe(response.std_out, response.std_err, response.status_code,
                                                           step.get('digest_only', False)))
                else:
                    raise ValueError('unknown op %r' % step['op'])
    finally:
        if shell_id is not None:
            try:
                protocol.close_shell(shell_id)
            except Exception:  # the step's own error matters more than a failed clean-up
                pass


def main():
    raw = sys.argv[1] if len(sys.argv) > 1 else sys.stdin.read()
    try:
        spec = json.loads(raw)
        spec['endpoint'], spec['steps']
    except (ValueError, KeyError) as exc:
        sys.stderr.write('bad spec: %s\n' % exc)
        return 2
    if spec.get('ccache'):
        os.environ['KRB5CCNAME'] = spec['ccache']
    if spec.get('krb5_config'):
        os.environ['KRB5_CONFIG'] = spec['krb5_config']
    results = []
    output = {'ok': True, 'results': results, 'error': None}
    try:
        run(spec, results)
    except Exception as exc:  # report every client-side failure as data for the test to assert on
        code = getattr(exc, 'code', None)
        output['ok'] = False
        output['error'] = {
            'class': type(exc).__name__,
            'message': str(exc),
            'http_status': code if isinstance(code, int) else None,
        }
    json.dump(output, sys.stdout)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
