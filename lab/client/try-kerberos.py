#!/usr/bin/python3
"""Runs a command on each lab endpoint named on the command line with pywinrm's Kerberos transport,
as the principal in the credential cache (kinit first). Prints one line per endpoint:
  <host> <status code> <the command's output, on one line>
and exits 1 when any endpoint failed."""
import sys

import winrm

command = 'echo "$(hostname) $(id -un)"'
failed = False
for host in sys.argv[1:] or ['winrm1', 'winrm2', 'winrm3']:
    try:
        # Debian's pywinrm 0.3.0 has no Kerberos message encryption: use HTTPS (the lab's
        # certificates are self-signed, hence no validation).
        session = winrm.Session(f'https://{host}:5986/wsman', auth=(None, None), transport='kerberos',
                                server_cert_validation='ignore')
        result = session.run_cmd(command)
        print(host, result.status_code, result.std_out.decode().strip(), flush=True)
        failed = failed or result.status_code != 0
    except Exception as error:  # report every endpoint, not just the first failure
        print(host, 'error', type(error).__name__, error, flush=True)
        failed = True
sys.exit(1 if failed else 0)
