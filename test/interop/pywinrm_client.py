"""Drives pywinrm (0.3.0, Debian's python3-winrm) against a winrmd endpoint for the interop tests.

Usage: /usr/bin/python3 pywinrm_client.py '<json spec>'   (or the spec on stdin)

Spec:
  {
    "endpoint": "https://127.0.0.1:5986/wsman",
    "user": "alice", "password": "secret",
    "transport": "basic",                       # optional, default basic; or "ntlm"
    "message_encryption": "auto",               # optional, pywinrm's default: auto | always | never
    "send_cbt": true,                           # optional, default true: NTLM channel binding over HTTPS
    "steps": [                                  # all "run" steps share one shell
      {"op": "run", "command": "echo", "args": ["hello"],
       "stdin_b64": "...",                      # optional: sent with one Send (End=true)
       "console_mode_stdin": true,              # optional, pywinrm's default true: WINRS_CONSOLEMODE_STDIN
       "repeat": 1,                             # optional: run the step this many times
       "digest_only": false},                   # optional: report only the SHA-256 and length of stdout
      {"op": "session_run_cmd", "command": "echo", "args": ["hi"]},  # winrm.Session.run_cmd, own shell
      {"op": "session_run_ps", "command": "Write-Output 'hi'"}       # winrm.Session.run_ps: command is the script
    ]
  }

Prints one JSON object:
  {"ok": true|false, "results": [{"status_code", "stdout_b64", "stderr_b64", "stdout_sha256", "stdout_len",
                                   "stderr_raw_b64" (session_run_ps only: stderr before _clean_error_msg)}...],
   "error": null | {"class": "...", "message": "...", "http_status": 401|null}}
The process exits 0 whenever it printed a result; 2 for a bad spec.
"""
import base64
import hashlib
import json
import sys
import uuid

import xmltodict
import winrm
from winrm.protocol import Protocol

CMD_URI = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd'
SEND_ACTION = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Send'


def send_stdin(protocol, shell_id, command_id, data):
    """pywinrm 0.3.0 has no send helper: build the Send message the way its other operations are built."""
    req = {'env:Envelope': protocol._get_soap_header(
        resource_uri=CMD_URI, action=SEND_ACTION, shell_id=shell_id, message_id=uuid.uuid4())}
    stream = req['env:Envelope'].setdefault('env:Body', {}).setdefault('rsp:Send', {}).setdefault('rsp:Stream', {})
    stream['@Name'] = 'stdin'
    stream['@CommandId'] = command_id
    stream['@End'] = 'true'
    stream['#text'] = base64.b64encode(data).decode('ascii')
    protocol.send_message(xmltodict.unparse(req))


class RunPsSession(winrm.Session):
    """pywinrm 0.3.0's run_ps passes _clean_error_msg the stderr bytes, which it compares with a str:
    a TypeError on Python 3 (pywinrm 0.4 decodes first). This decodes as 0.4 does and otherwise runs
    0.3.0's own parsing of the CLIXML; it keeps the raw stderr for the test to look at."""
    raw_stderr = b''

    def _clean_error_msg(self, msg):
        self.raw_stderr = msg
        text = msg.decode('utf-8') if isinstance(msg, bytes) else msg
        return winrm.Session._clean_error_msg(self, text).encode('utf-8')


def describe(stdout, stderr, status_code, digest_only):
    result = {
        'status_code': status_code,
        'stdout_sha256': hashlib.sha256(stdout).hexdigest(),
        'stdout_len': len(stdout),
        'stderr_b64': base64.b64encode(stderr).decode('ascii'),
    }
    if not digest_only:
        result['stdout_b64'] = base64.b64encode(stdout).decode('ascii')
    return result


def run_in_shell(protocol, shell_id, step):
    command_id = protocol.run_command(shell_id, step['command'], step.get('args', []),
                                      console_mode_stdin=step.get('console_mode_stdin', True))
    if 'stdin_b64' in step:
        send_stdin(protocol, shell_id, command_id, base64.b64decode(step['stdin_b64']))
    stdout, stderr, status_code = protocol.get_command_output(shell_id, command_id)
    protocol.cleanup_command(shell_id, command_id)
    return describe(stdout, stderr, status_code, step.get('digest_only', False))


def run(spec, results):
    transport = spec.get('transport', 'basic')
    auth = (spec['user'], spec['password'])
    options = {
        'transport': transport,
        'server_cert_validation': 'ignore',
        'message_encryption': spec.get('message_encryption', 'auto'),
        'send_cbt': spec.get('send_cbt', True),
    }
    protocol = Protocol(spec['endpoint'], username=auth[0], password=auth[1], **options)
    shell_id = None
    try:
        for step in spec['steps']:
            for _ in range(step.get('repeat', 1)):
                if step['op'] == 'run':
                    if shell_id is None:
                        shell_id = protocol.open_shell()
                    results.append(run_in_shell(protocol, shell_id, step))
                elif step['op'] == 'session_run_cmd':
                    session = winrm.Session(spec['endpoint'], auth=auth, **options)
                    response = session.run_cmd(step['command'], step.get('args', []))
                    results.append(describe(response.std_out, response.std_err, response.status_code,
                                            step.get('digest_only', False)))
                elif step['op'] == 'session_run_ps':
                    session = RunPsSession(spec['endpoint'], auth=auth, **options)
                    response = session.run_ps(step['command'])
                    result = describe(response.std_out, response.std_err, response.status_code,
                                      step.get('digest_only', False))
                    result['stderr_raw_b64'] = base64.b64encode(session.raw_stderr).decode('ascii')
                    results.append(result)
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
        spec['endpoint'], spec['user'], spec['password'], spec['steps']
    except (ValueError, KeyError) as exc:
        sys.stderr.write('bad spec: %s\n' % exc)
        return 2
    results = []
    output = {'ok': True, 'results': results, 'error': None}
    try:
        run(spec, results)
    except Exception as exc:  # report every client-side failure as data for the test to assert on
        output['ok'] = False
        output['error'] = {
            'class': type(exc).__name__,
            'message': str(exc),
            'http_status': getattr(exc, 'code', None) if isinstance(getattr(exc, 'code', None), int) else None,
        }
    json.dump(output, sys.stdout)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
