"""A small Kerberos WinRM client on MIT GSS-API (Debian's python3-gssapi), for the interop tests.

It authenticates the way Windows and pywinrm/pypsrp do and, over HTTP, seals every message with WinRM
message encryption (MS-WSMV 2.2.9.1.1): `multipart/encrypted` with protocol
`application/HTTP-Kerberos-session-encrypted` under the `Kerberos` scheme or
`application/HTTP-SPNEGO-session-encrypted` under `Negotiate`; the octet-stream part is
LE32(header length) || header || sealed data, produced by gss_wrap_iov over HEADER, DATA, PADDING
buffers (as pyspnego's wrap_winrm does) and opened with gss_unwrap_iov over HEADER, DATA.
The WS-Man messages are pywinrm's own (winrm.protocol.Protocol with this module's transport), so the
shell runs through Create, Command, Send, Receive, Signal and Delete exactly as pywinrm sends them.

Usage:
  /usr/bin/python3 gssapi_winrm_client.py [--tamper] [--replay] '<json spec>'    (or the spec on stdin)
  /usr/bin/python3 gssapi_winrm_client.py --selftest '<json spec>'   (needs KRB5_KTNAME; no server)

Spec:
  {
    "endpoint": "http://127.0.0.1:5985/wsman",   # http: sealed messages; https: plain SOAP + channel binding
    "scheme": "Kerberos",                         # or "Negotiate"
    "mech": "krb5",                               # or "spnego" (Negotiate only): the token inside the header
    "target": "HTTP@localhost",                   # GSS host-based service name of the server
    "principal": "alice@REALM",                   # optional: initiator; default the cache's principal
    "ccache": "FILE:/tmp/...",                    # optional: sets KRB5CCNAME
    "krb5_config": "/tmp/.../krb5.conf",          # optional: sets KRB5_CONFIG
    "encrypt": true,                              # optional: default true for http, false for https
    "channel_bindings": true,                     # optional (https): send tls-server-end-point bindings
    "tamper": false,                              # as --tamper: flip one sealed byte of request "tamper_request"
    "tamper_request": 2,                          # 1-based index of the sealed request to tamper (2 = Command)
    "replay": false,                              # as --replay: send one AP-REQ on two connections, then stop
    "steps": [                                    # all "run" steps share one shell (pywinrm_client.py format)
      {"op": "run", "command": "echo", "args": ["hello"], "stdin_b64": "...", "repeat": 1, "digest_only": false},
      {"op": "identify"}                          # WS-Man Identify; the reply body is reported as "body"
    ]
  }

Prints one JSON object (exit 0 whenever it printed one, 2 for a bad spec):
  {"ok": true|false,
   "results": [{"status_code", "stdout_b64", "stderr_b64", "stdout_sha256", "stdout_len", "body"?}],
   "error": null | {"class", "message", "http_status"},
   "auth": {"scheme", "mech", "status", "mutual_token": bool, "complete": bool, "reply_scheme"} | null,
   "replay": {"first": {"status", "mutual_token"}, "second": {"status", "mutual_token"}} | null,
   "tamper": {"request": n, "status": http status} | null,
   "exchanges": [{"status", "content_type", "encrypted"}...]}
"""
import base64
import hashlib
import http.client
import json
import os
import re
import ssl
import struct
import sys
from urllib.parse import urlsplit

import gssapi
import gssapi.raw
from gssapi.raw.ext_dce import IOV, IOVBufferType, unwrap_iov, wrap_iov

sys.dont_write_bytecode = True  # importing pywinrm_client must leave no __pycache__ in the checkout

BOUNDARY = b'Encrypted Boundary'
SOAP_CONTENT_TYPE = 'application/soap+xml;charset=UTF-8'
PROTOCOLS = {
    'Kerberos': 'application/HTTP-Kerberos-session-encrypted',
    'Negotiate': 'application/HTTP-SPNEGO-session-encrypted',
}
IDENTIFY = ('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:wsmid="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd">'
            '<s:Header/><s:Body><wsmid:Identify/></s:Body></s:Envelope>')
KRB5_MECH = gssapi.OID.from_int_seq('1.2.840.113554.1.2.2')
TIMEOUT = 120


class ClientError(Exception):
    """A failure with an HTTP status (when there was one), reported as data."""

    def __init__(self, message, code=None, response_text=''):
        super().__init__(message)
        self.code = code
        self.response_text = response_text


class InvalidCredentialsError(ClientError):
    """The server answered 401 (same class name as pywinrm's, so tests read both clients alike)."""


class MutualAuthenticationError(ClientError):
    """The server's 200 lacked a usable mutual-authentication token."""


class WinRMTransportError(ClientError):
    """Any other non-200 answer; carries the (decrypted) body so SOAP faults can be read."""


# ------------------------------------------------------------------------------------------------
# GSS-API


def certificate_hash(der):
    """RFC 5929 tls-server-end-point: the certificate's signature hash, SHA-256 for MD5/SHA-1/unknown."""
    try:
        from cryptography import x509
        from cryptography.hazmat.backends import default_backend
        from cryptography.hazmat.primitives import hashes
        cert = x509.load_der_x509_certificate(der, default_backend())
        try:
            algorithm = cert.signature_hash_algorithm
        except Exception:  # unsupported or hashless signature algorithms (Ed25519)
            algorithm = None
        if algorithm is None or algorithm.name in ('md5', 'sha1'):
            algorithm = hashes.SHA256()
        digest = hashes.Hash(algorithm, default_backend())
        digest.update(der)
        return digest.finalize()
    except ImportError:
        return hashlib.sha256(der).digest()


def new_context(spec, channel_bindings=None):
    name = gssapi.Name(spec.get('target', 'HTTP@localhost'), gssapi.NameType.hostbased_service)
    creds = None
    if spec.get('principal'):
        creds = gssapi.Credentials(name=gssapi.Name(spec['principal'], gssapi.NameType.kerberos_principal),
                                   usage='initiate')
    mech = gssapi.Mechanism.from_sasl_name('SPNEGO') if spec.get('mech', 'krb5') == 'spnego' else KRB5_MECH
    flags = (gssapi.RequirementFlag.mutual_authentication | gssapi.RequirementFlag.integrity
             | gssapi.RequirementFlag.confidentiality | gssapi.RequirementFlag.out_of_sequence_detection
             | gssapi.RequirementFlag.replay_detection)
    return gssapi.SecurityContext(name=name, creds=creds, usage='initiate', mech=mech, flags=flags,
                                  channel_bindings=channel_bindings)


def wrap_winrm(ctx, data):
    """gss_wrap_iov over HEADER, DATA, PADDING: (header, sealed data + padding, padding length)."""
    iov = IOV(IOVBufferType.header, (IOVBufferType.data, data), IOVBufferType.padding, std_layout=False)
    wrap_iov(ctx, iov, confidential=True)
    header = iov[0].value or b''
    sealed = iov[1].value or b''
    padding = iov[2].value or b''
    return header, sealed + padding, len(padding)


def unwrap_winrm(ctx, header, data):
    iov = IOV((IOVBufferType.header, False, header), (IOVBufferType.data, False, data), std_layout=False)
    unwrap_iov(ctx, iov)
    return iov[1].value or b''


def build_encrypted_body(protocol, header, sealed, original_length):
    return b''.join([
        b'--' + BOUNDARY + b'\r\n',
        b'\tContent-Type: ' + protocol.encode('ascii') + b'\r\n',
        b'\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=' + str(original_length).encode('ascii') + b'\r\n',
        b'--' + BOUNDARY + b'\r\n',
        b'\tContent-Type: application/octet-stream\r\n',
        struct.pack('<I', len(header)), header, sealed,
        b'--' + BOUNDARY + b'--\r\n',
    ])


def parse_encrypted_body(body):
    """(header, sealed data, protocol) of a single-part multipart/encrypted body."""
    match = re.search(rb'--\s*Encrypted Boundary\r?\n\s*Content-Type:\s*([^\r\n]+)\r?\n\s*OriginalContent:\s*([^\r\n]+)\r?\n'
                      rb'--\s*Encrypted Boundary\r?\n\s*Content-Type:\s*application/octet-stream\r?\n', body)
    if match is None:
        raise ClientError('encrypted response without the expected MIME headers: %r' % body[:200])
    length_match = re.search(rb'length=(\d+)', match.group(2), re.IGNORECASE)
    if length_match is None:
        raise ClientError('encrypted response without Length=')
    length = int(length_match.group(1))
    payload = body[match.end():]
    if len(payload) < 4:
        raise ClientError('encrypted response truncated')
    header_length = struct.unpack('<I', payload[:4])[0]
    header = payload[4:4 + header_length]
    rest = payload[4 + header_length:]
    end = rest.rfind(b'--Encrypted Boundary--')
    available = rest if end < 0 else rest[:end]
    sealed = available[:length] if len(available) >= length else available
    return header, sealed, match.group(1).decode('ascii', 'replace').strip()


def token_from_header(value, scheme):
    """The base64 token after `scheme` in a WWW-Authenticate value, or None."""
    for part in value.split(','):
        words = part.strip().split(None, 1)
        if len(words) == 2 and words[0].lower() == scheme.lower():
            return base64.b64decode(words[1].strip())
    return None


# ------------------------------------------------------------------------------------------------
# HTTP transport bound to one connection, plugged into pywinrm's Protocol


class KerberosTransport(object):
    def __init__(self, spec, output):
        self.spec = spec
        self.output = output
        url = urlsplit(spec['endpoint'])
        self.https = url.scheme == 'https'
        self.host = url.hostname
        self.port = url.port or (5986 if self.https else 5985)
        self.path = url.path or '/wsman'
        self.scheme = spec.get('scheme', 'Kerberos')
        if self.scheme not in PROTOCOLS:
            raise ValueError('scheme must be Kerberos or Negotiate')
        self.encrypt = spec.get('encrypt', not self.https)
        self.tamper_at = spec.get('tamper_request', 2) if spec.get('tamper') else None
        self.sealed_count = 0
        self.conn = None
        self.ctx = None

    # -- connection and handshake --

    def connect(self):
        if self.https:
            tls = ssl.create_default_context()
            tls.check_hostname = False
            tls.verify_mode = ssl.CERT_NONE
            conn = http.client.HTTPSConnection(self.host, self.port, context=tls, timeout=TIMEOUT)
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        conn.connect()
        return conn

    def channel_bindings(self, conn):
        if not self.https or not self.spec.get('channel_bindings', True):
            return None
        der = conn.sock.getpeercert(binary_form=True)
        return gssapi.raw.ChannelBindings(application_data=b'tls-server-end-point:' + certificate_hash(der))

    def post(self, conn, body, headers):
        all_headers = {'Host': '%s:%d' % (self.host, self.port), 'Connection': 'Keep-Alive',
                       'User-Agent': 'Python GSSAPI WinRM test client', 'Content-Length': str(len(body))}
        all_headers.update(headers)
        conn.request('POST', self.path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        content_type = response.getheader('Content-Type', '') or ''
        self.output['exchanges'].append({'status': response.status, 'content_type': content_type,
                                         'encrypted': 'multipart/' in content_type})
        return response, data

    def authorization(self, token):
        return '%s %s' % (self.scheme, base64.b64encode(token).decode('ascii'))

    def finish_handshake(self, ctx, response):
        """Feeds the mutual-authentication token of a 200 to the context; returns the auth record."""
        values = response.msg.get_all('WWW-Authenticate') or []
        token = None
        reply_scheme = None
        for value in values:
            for scheme in (self.scheme, 'Negotiate', 'Kerberos'):
                token = token_from_header(value, scheme)
                if token is not None:
                    reply_scheme = scheme
                    break
            if token is not None:
                break
        record = {'scheme': self.scheme, 'mech': self.spec.get('mech', 'krb5'), 'status': response.status,
                  'mutual_token': token is not None, 'complete': False, 'reply_scheme': reply_scheme}
        self.output['auth'] = record
        if token is None:
            raise MutualAuthenticationError('the 200 carried no WWW-Authenticate token (mutual authentication)',
                                            response.status)
        ctx.step(token)
        record['complete'] = bool(ctx.complete)
        if not ctx.complete:
            raise MutualAuthenticationError('the security context is not complete after the server token',
                                            response.status)

    def authenticate(self, first_message):
        """Opens the connection and runs the handshake; returns the reply to first_message when sent with it."""
        self.conn = self.connect()
        self.ctx = new_context(self.spec, self.channel_bindings(self.conn))
        token = self.ctx.step()
        body = b'' if self.encrypt else first_message
        headers = {'Authorization': self.authorization(token)}
        if body:
            headers['Content-Type'] = SOAP_CONTENT_TYPE
        response, data = self.post(self.conn, body, headers)
        if response.status == 401:
            self.output['auth'] = {'scheme': self.scheme, 'mech': self.spec.get('mech', 'krb5'), 'status': 401,
                                   'mutual_token': False, 'complete': False, 'reply_scheme': None}
            raise InvalidCredentialsError('the specified credentials were rejected by the server', 401)
        if response.status != 200:
            self.output['auth'] = {'scheme': self.scheme, 'mech': self.spec.get('mech', 'krb5'),
                                   'status': response.status, 'mutual_token': False, 'complete': False,
                                   'reply_scheme': None}
            raise WinRMTransportError('authentication answered %d' % response.status, response.status,
                                      data.decode('utf-8', 'replace'))
        self.finish_handshake(self.ctx, response)
        return None if self.encrypt else data

    # -- messages --

    def seal(self, message):
        header, sealed, padding_length = wrap_winrm(self.ctx, message)
        self.sealed_count += 1
        if self.tamper_at is not None and self.sealed_count == self.tamper_at and sealed:
            flipped = bytearray(sealed)
            flipped[len(flipped) // 2] ^= 0x01
            sealed = bytes(flipped)
            self.output['tamper'] = {'request': self.sealed_count, 'status': None}
        body = build_encrypted_body(PROTOCOLS[self.scheme], header, sealed, len(message) + padding_length)
        content_type = 'multipart/encrypted;protocol="%s";boundary="Encrypted Boundary"' % PROTOCOLS[self.scheme]
        return body, content_type

    def open_response(self, response, data):
        content_type = response.getheader('Content-Type', '') or ''
        if 'multipart/encrypted' in content_type or 'multipart/x-multi-encrypted' in content_type:
            header, sealed, _protocol = parse_encrypted_body(data)
            return unwrap_winrm(self.ctx, header, sealed)
        if self.encrypt and response.status in (200, 500):
            raise ClientError('the server answered a sealed request with plaintext (%s)' % content_type,
                              response.status)
        return data

    def send_message(self, message):
        if isinstance(message, str):
            message = message.encode('utf-8')
        if self.conn is None:
            reply = self.authenticate(message)
            if reply is not None:
                return reply
        if self.encrypt:
            body, content_type = self.seal(message)
        else:
            body, content_type = message, SOAP_CONTENT_TYPE
        response, data = self.post(self.conn, body, {'Content-Type': content_type})
        if self.output.get('tamper') and self.output['tamper']['status'] is None:
            self.output['tamper']['status'] = response.status
        if response.status == 401:
            raise InvalidCredentialsError('the specified credentials were rejected by the server', 401)
        text = self.open_response(response, data) if data else b''
        if response.status != 200:
            raise WinRMTransportError('bad HTTP response returned from server. Code %d' % response.status,
                                      response.status, text.decode('utf-8', 'replace'))
        return text

    def close(self):
        if self.conn is not None:
            self.conn.close()


def pywinrm_protocol(transport):
    """pywinrm's Protocol (its WS-Man messages and Receive loop) sending through `transport`."""
    from winrm.protocol import Protocol
    from winrm.exceptions import WinRMTransportError as PywinrmTransportError

    class Adapter(object):
        def send_message(self, message):
            try:
                return transport.send_message(message)
            except WinRMTransportError as exc:
                # Let Protocol.send_message parse SOAP faults as it does for its own transport.
                raise PywinrmTransportError('http', exc.code, exc.response_text)

    protocol = Protocol(transport.spec['endpoint'], transport='plaintext', username='unused', password='unused',
                        server_cert_validation='ignore')
    protocol.transport = Adapter()
    return protocol


# ------------------------------------------------------------------------------------------------
# Modes


def run_steps(spec, output):
    import pywinrm_client  # the shared step helpers: describe, run_in_shell (same directory)

    transport = KerberosTransport(spec, output)
    protocol = pywinrm_protocol(transport)
    shell_id = None
    try:
        for step in spec['steps']:
            for _ in range(step.get('repeat', 1)):
                if step['op'] == 'run':
                    if shell_id is None:
                        shell_id = protocol.open_shell()
                    output['results'].append(pywinrm_client.run_in_shell(protocol, shell_id, step))
                elif step['op'] == 'identify':
                    body = transport.send_message(IDENTIFY)
                    result = pywinrm_client.describe(b'', b'', 0, True)
                    result['body'] = body.decode('utf-8', 'replace')
                    output['results'].append(result)
                else:
                    raise ValueError('unknown op %r' % step['op'])
    finally:
        if shell_id is not None:
            try:
                protocol.close_shell(shell_id)
            except Exception:  # the step's own error matters more than a failed clean-up
                pass
        transport.close()


def run_replay(spec, output):
    """One AP-REQ sent on two fresh connections: the first must work, the second is a replay."""
    transport = KerberosTransport(spec, output)
    first_conn = transport.connect()
    ctx = new_context(spec, transport.channel_bindings(first_conn))
    token = ctx.step()
    body = b'' if transport.encrypt else IDENTIFY.encode('utf-8')
    headers = {'Authorization': transport.authorization(token)}
    if body:
        headers['Content-Type'] = SOAP_CONTENT_TYPE
    record = {}
    for label, conn in (('first', first_conn), ('second', None)):
        conn = conn or transport.connect()
        try:
            response, _data = transport.post(conn, body, headers)
            values = response.msg.get_all('WWW-Authenticate') or []
            mutual = any(token_from_header(v, transport.scheme) is not None for v in values)
            record[label] = {'status': response.status, 'mutual_token': mutual}
            if label == 'first' and response.status == 200 and mutual:
                transport.finish_handshake(ctx, response)
        except (http.client.HTTPException, OSError) as exc:
            record[label] = {'status': None, 'mutual_token': False, 'error': str(exc)}
        finally:
            conn.close()
    output['replay'] = record


def run_selftest(spec, output):
    """Initiator and MIT acceptor in one process (KRB5_KTNAME): checks this file's sealing code."""
    acceptor = gssapi.SecurityContext(creds=gssapi.Credentials(usage='accept'), usage='accept')
    initiator = new_context(spec)
    token = initiator.step()
    while True:
        reply = acceptor.step(token)
        if reply is None:
            break
        token = initiator.step(reply)
        if token is None:
            break
    if not (initiator.complete and acceptor.complete):
        raise ClientError('selftest handshake did not complete')
    protocol = PROTOCOLS[spec.get('scheme', 'Kerberos')]
    checks = {}
    for size in (1, 15, 16, 17, 1000, 70000):
        message = bytes((i * 7 + size) & 0xff for i in range(size))
        header, sealed, padding = wrap_winrm(initiator, message)
        body = build_encrypted_body(protocol, header, sealed, len(message) + padding)
        h2, s2, _ = parse_encrypted_body(body)
        opened = unwrap_winrm(acceptor, h2, s2)
        reply_header, reply_sealed, reply_padding = wrap_winrm(acceptor, message[::-1])
        back = unwrap_winrm(initiator, *parse_encrypted_body(
            build_encrypted_body(protocol, reply_header, reply_sealed, size + reply_padding))[:2])
        checks[str(size)] = {'header_len': len(header), 'sealed_len': len(sealed), 'padding': padding,
                             'request_ok': opened == message, 'reply_ok': back == message[::-1]}
    header, sealed, _ = wrap_winrm(initiator, b'tamper me please')
    flipped = bytearray(sealed)
    flipped[len(flipped) // 2] ^= 0x01
    try:
        unwrap_winrm(acceptor, header, bytes(flipped))
        checks['tamper_refused'] = False
    except gssapi.exceptions.GSSError:
        checks['tamper_refused'] = True
    output['selftest'] = checks
    output['auth'] = {'scheme': spec.get('scheme', 'Kerberos'), 'mech': spec.get('mech', 'krb5'), 'status': None,
                      'mutual_token': True, 'complete': True, 'reply_scheme': None,
                      'initiator': str(acceptor.initiator_name)}


def main(argv):
    flags = {a for a in argv if a.startswith('--')}
    positional = [a for a in argv if not a.startswith('--')]
    unknown = flags - {'--tamper', '--replay', '--selftest'}
    raw = positional[0] if positional else sys.stdin.read()
    try:
        if unknown:
            raise ValueError('unknown options %s' % ', '.join(sorted(unknown)))
        spec = json.loads(raw)
        spec['endpoint'], spec['steps']
    except (ValueError, KeyError) as exc:
        sys.stderr.write('bad spec: %s\n' % exc)
        return 2
    if '--tamper' in flags:
        spec['tamper'] = True
    if '--replay' in flags:
        spec['replay'] = True
    if spec.get('ccache'):
        os.environ['KRB5CCNAME'] = spec['ccache']
    if spec.get('krb5_config'):
        os.environ['KRB5_CONFIG'] = spec['krb5_config']

    output = {'ok': True, 'results': [], 'error': None, 'auth': None, 'replay': None, 'tamper': None,
              'exchanges': []}
    try:
        if '--selftest' in flags:
            run_selftest(spec, output)
        elif spec.get('replay'):
            run_replay(spec, output)
        else:
            run_steps(spec, output)
    except Exception as exc:  # report every client-side failure as data for the test to assert on
        code = getattr(exc, 'code', None)
        output['ok'] = False
        output['error'] = {'class': type(exc).__name__, 'message': str(exc),
                           'http_status': code if isinstance(code, int) else None}
    json.dump(output, sys.stdout)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
