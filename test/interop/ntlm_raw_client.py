"""Drives winrmd's NTLM acceptor leg by leg for the interop tests, with python3-ntlm-auth 1.4.0.

Run with Debian's /usr/bin/python3 and OPENSSL_CONF pointing at test/interop/openssl-legacy.cnf
(ntlm-auth needs MD4, which Debian's OpenSSL 3 only has in the legacy provider).

Usage: /usr/bin/python3 ntlm_raw_client.py '<json spec>'   (or the spec on stdin)

Unlike pywinrm this client shows every leg: it speaks HTTP with http.client on keep-alive
connections it names, builds NTLM messages with ntlm_auth.ntlm.Ntlm, wraps them in SPNEGO by hand
(DER) when asked, and frames encrypted bodies exactly like pywinrm's winrm/encryption.py. It can
also misbehave on purpose: flip a byte, resend a message, lie about the length, move a leg to
another connection.

Spec:
  {
    "host": "127.0.0.1", "port": 5985, "path": "/wsman",      # path optional
    "user": "alice", "password": "secret", "domain": "",       # optional, as requests-ntlm: ""
    "timeout": 30,                                            # optional, seconds per request
    "steps": [
      {"op": "anonymous", "conn": "a"},                       # empty POST, no Authorization
      {"op": "negotiate", "conn": "a", "ctx": "main",         # new NTLM context; NEGOTIATE leg (empty body)
       "spnego": false, "scheme": "Negotiate"},               # spnego: wrap in GSS NegTokenInit
      {"op": "authenticate", "conn": "a", "ctx": "main",      # AUTHENTICATE from ctx's last CHALLENGE (empty body)
       "mech_list_mic": "if-requested"},                      # SPNEGO only: always | never | if-requested
                                                              #   | corrupt (always, one checksum bit flipped)
      {"op": "send", "conn": "a", "ctx": "main",              # one encrypted envelope
       "envelope": "<s:Envelope ...>",
       "tamper": null,                                        # null | flip-data | flip-signature
       "length_delta": 0,                                     # added to OriginalContent's Length=
       "plaintext": false},                                   # true: send the envelope unencrypted
      {"op": "replay", "conn": "a"},                          # the last encrypted body again, byte for byte
      {"op": "close", "conn": "a"}
    ]
  }
"conn" and "ctx" default to "a" and "main"; a connection opens on first use.

Prints one JSON object: {"ok": bool, "legs": [leg...], "error": null | {"step": i, "class", "message"}}
with one leg per step except close:
  {"op", "conn", "local_port", "status", "www_authenticate": [...], "content_type", "body_len",
   "keep_alive", "server_token": null | {"scheme", "kind": "ntlm"|"spnego"|"other", "ntlm_type",
   "neg_state", "supported_mech", "response_ntlm_type", "mech_list_mic", "mech_list_mic_valid"},
   "sent": {"seq": n} | null,
   "reply": null | {"protocol", "original_content", "original_length", "text"}, "reply_error": null | str}
The process exits 0 whenever it printed a result; 2 for a bad spec.
"""
import base64
import http.client
import json
import re
import struct
import sys

from ntlm_auth import compute_keys
from ntlm_auth.constants import SignSealConstants
from ntlm_auth.ntlm import Ntlm
from ntlm_auth.rc4 import ARC4

PROTOCOL = b'application/HTTP-SPNEGO-session-encrypted'
MIME_BOUNDARY = b'--Encrypted Boundary'
ENCRYPTED_CONTENT_TYPE = 'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"'
SOAP_CONTENT_TYPE = 'application/soap+xml;charset=UTF-8'

SPNEGO_OID = '1.3.6.1.5.5.2'
NTLM_OID = '1.3.6.1.4.1.311.2.2.10'


# ---- DER, by hand -----------------------------------------------------------------------------

def der_length(n):
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 | len(raw)]) + raw


def tlv(tag, content):
    return bytes([tag]) + der_length(len(content)) + content


def oid_der(dotted):
    arcs = [int(a) for a in dotted.split('.')]
    body = bytes([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.insert(0, 0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(chunk)
    return tlv(0x06, body)


def oid_text(content):
    arcs = [content[0] // 40, content[0] % 40]
    value = 0
    for byte in content[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    return '.'.join(str(a) for a in arcs)


def read_tlv(data, offset=0):
    """One DER element at offset: (tag, content, offset after it)."""
    if offset + 2 > len(data):
        raise ValueError('truncated DER element')
    tag = data[offset]
    first = data[offset + 1]
    offset += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or offset + count > len(data):
            raise ValueError('bad DER length')
        length = int.from_bytes(data[offset:offset + count], 'big')
        offset += count
    if offset + length > len(data):
        raise ValueError('DER element runs past the end')
    return tag, data[offset:offset + length], offset + length


def read_children(content):
    """The elements of a constructed value as {tag: content}."""
    out = {}
    offset = 0
    while offset < len(content):
        tag, value, offset = read_tlv(content, offset)
        out[tag] = value
    return out


def spnego_init(mech_types_der, mech_token):
    """GSS InitialContextToken with SPNEGO's OID around a NegTokenInit [RFC 4178 4.2.1]."""
    neg_token_init = tlv(0x30, tlv(0xA0, mech_types_der) + tlv(0xA2, tlv(0x04, mech_token)))
    return tlv(0x60, oid_der(SPNEGO_OID) + tlv(0xA0, neg_token_init))


def spnego_resp(response_token=None, mech_list_mic=None):
    """A client NegTokenResp [RFC 4178 4.2.2]: A1 { 30 { [A2 responseToken] [A3 mechListMIC] } }."""
    fields = b''
    if response_token is not None:
        fields += tlv(0xA2, tlv(0x04, response_token))
    if mech_list_mic is not None:
        fields += tlv(0xA3, tlv(0x04, mech_list_mic))
    return tlv(0xA1, tlv(0x30, fields))


def parse_neg_token_resp(token):
    tag, content, end = read_tlv(token)
    if tag != 0xA1 or end != len(token):
        raise ValueError('not a NegTokenResp (tag 0x%02x)' % tag)
    tag, seq, _ = read_tlv(content)
    if tag != 0x30:
        raise ValueError('NegTokenResp without its SEQUENCE')
    fields = read_children(seq)
    out = {'neg_state': None, 'supported_mech': None, 'response_token': None, 'mech_list_mic': None}
    if 0xA0 in fields:
        tag, value, _ = read_tlv(fields[0xA0])
        if tag != 0x0A or len(value) != 1:
            raise ValueError('negState is not an ENUMERATED')
        out['neg_state'] = value[0]
    if 0xA1 in fields:
        tag, value, _ = read_tlv(fields[0xA1])
        if tag != 0x06:
            raise ValueError('supportedMech is not an OID')
        out['supported_mech'] = oid_text(value)
    for field, name in ((0xA2, 'response_token'), (0xA3, 'mech_list_mic')):
        if field in fields:
            tag, value, _ = read_tlv(fields[field])
            if tag != 0x04:
                raise ValueError('%s is not an OCTET STRING' % name)
            out[name] = value
    return out


def ntlm_type(token):
    if token is None or len(token) < 12 or token[:8] != b'NTLMSSP\x00':
        return None
    return struct.unpack('<I', token[8:12])[0]


# ---- one NTLM context -------------------------------------------------------------------------

class Context(object):
    def __init__(self, spnego, scheme):
        self.ntlm = Ntlm(ntlm_compatibility=3)
        self.spnego = spnego
        self.scheme = scheme
        self.mech_types = tlv(0x30, oid_der(NTLM_OID))
        self.challenge = None          # raw CHALLENGE bytes from the server's last token
        self.server_asked_mic = False  # the server's NegTokenResp said request-mic

    @property
    def security(self):
        security = self.ntlm.session_security
        if security is None:
            raise RuntimeError('no NTLM session security: AUTHENTICATE not built yet')
        return security

    def reset_cipher(self, direction):
        """MS-SPNG: after the mechListMIC the RC4 handle of that direction restarts (seq goes on)."""
        security = self.security
        if direction == 'outgoing':
            magic = SignSealConstants.CLIENT_SEALING
        else:
            magic = SignSealConstants.SERVER_SEALING
        key = compute_keys.get_seal_key(security.negotiate_flags, security.exported_session_key, magic)
        setattr(security, direction + '_handle', ARC4(key))


# ---- HTTP -------------------------------------------------------------------------------------

class Client(object):
    def __init__(self, spec):
        self.spec = spec
        self.host = spec['host']
        self.port = spec['port']
        self.path = spec.get('path', '/wsman')
        self.timeout = spec.get('timeout', 30)
        self.conns = {}
        self.contexts = {}
        self.last_encrypted = None

    def conn(self, name):
        if name not in self.conns:
            self.conns[name] = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conns[name]

    def post(self, conn_name, body, headers):
        conn = self.conn(conn_name)
        all_headers = {'Connection': 'Keep-Alive', 'User-Agent': 'winrmd ntlm_raw_client'}
        all_headers.update(headers)
        all_headers['Content-Length'] = str(len(body))
        conn.request('POST', self.path, body=body, headers=all_headers)
        local_port = conn.sock.getsockname()[1] if conn.sock is not None else None
        response = conn.getresponse()
        data = response.read()
        leg = {
            'conn': conn_name,
            'local_port': local_port,
            'status': response.status,
            'www_authenticate': response.msg.get_all('WWW-Authenticate') or [],
            'content_type': response.getheader('Content-Type'),
            'body_len': len(data),
            'keep_alive': not response.will_close,
            'server_token': None,
            'sent': None,
            'reply': None,
            'reply_error': None,
        }
        return leg, data

    # -- handshake legs --

    def server_token(self, leg, ctx):
        """Finds `<scheme> <b64>` in the reply, records what it holds, and keeps a CHALLENGE."""
        for value in leg['www_authenticate']:
            parts = value.split(None, 1)
            if len(parts) != 2 or parts[0].lower() not in ('negotiate', 'ntlm', 'kerberos'):
                continue
            token = base64.b64decode(parts[1])
            info = {'scheme': parts[0], 'kind': 'other', 'ntlm_type': None, 'neg_state': None,
                    'supported_mech': None, 'response_ntlm_type': None, 'mech_list_mic': False,
                    'mech_list_mic_valid': None}
            if ntlm_type(token) is not None:
                info['kind'] = 'ntlm'
                info['ntlm_type'] = ntlm_type(token)
                if info['ntlm_type'] == 2 and ctx is not None:
                    ctx.challenge = token
            elif token[:1] == b'\xa1':
                info['kind'] = 'spnego'
                resp = parse_neg_token_resp(token)
                info['neg_state'] = resp['neg_state']
                info['supported_mech'] = resp['supported_mech']
                info['response_ntlm_type'] = ntlm_type(resp['response_token'])
                info['mech_list_mic'] = resp['mech_list_mic'] is not None
                if ctx is not None:
                    if resp['neg_state'] == 3:
                        ctx.server_asked_mic = True
                    if info['response_ntlm_type'] == 2:
                        ctx.challenge = resp['response_token']
                    if resp['mech_list_mic'] is not None and ctx.ntlm.session_security is not None:
                        info['mech_list_mic_valid'] = self.verify_server_mic(ctx, resp['mech_list_mic'])
            leg['server_token'] = info
            return

    def verify_server_mic(self, ctx, mic):
        try:
            ctx.security._verify_signature(ctx.mech_types, mic)
        except Exception:  # ntlm_auth raises a bare Exception for a wrong checksum or sequence
            return False
        ctx.reset_cipher('incoming')
        return True

    def negotiate(self, step):
        ctx = Context(step.get('spnego', False), step.get('scheme', 'Negotiate'))
        self.contexts[step.get('ctx', 'main')] = ctx
        token = base64.b64decode(ctx.ntlm.create_negotiate_message())
        if ctx.spnego:
            token = spnego_init(ctx.mech_types, token)
        leg, _ = self.post(step.get('conn', 'a'), b'', self.auth_headers(ctx, token))
        self.server_token(leg, ctx)
        return leg

    def authenticate(self, step):
        ctx = self.contexts[step.get('ctx', 'main')]
        if ctx.challenge is None:
            raise RuntimeError('no CHALLENGE received for context %r' % step.get('ctx', 'main'))
        ctx.ntlm.parse_challenge_message(base64.b64encode(ctx.challenge))
        token = base64.b64decode(ctx.ntlm.create_authenticate_message(
            self.spec['user'], self.spec['password'], domain_name=self.spec.get('domain') or ''))
        if ctx.spnego:
            mode = step.get('mech_list_mic', 'if-requested')
            mic = None
            if mode in ('always', 'corrupt') or (mode == 'if-requested' and ctx.server_asked_mic):
                # GSS_GetMIC over the DER mechTypes: NTLM signature with seq 0, then a fresh RC4 stream.
                mic = ctx.security._get_signature(ctx.mech_types)
                ctx.reset_cipher('outgoing')
                if mode == 'corrupt':
                    mic = mic[:4] + bytes([mic[4] ^ 0x01]) + mic[5:]
            elif mode not in ('never', 'if-requested'):
                raise ValueError('unknown mech_list_mic %r' % mode)
            token = spnego_resp(token, mic)
        leg, _ = self.post(step.get('conn', 'a'), b'', self.auth_headers(ctx, token))
        self.server_token(leg, ctx)
        return leg

    @staticmethod
    def auth_headers(ctx, token):
        return {'Authorization': '%s %s' % (ctx.scheme, base64.b64encode(token).decode('ascii')),
                'Content-Type': SOAP_CONTENT_TYPE}

    # -- messages --

    def send(self, step):
        envelope = step['envelope'].encode('utf-8')
        if step.get('plaintext', False):
            leg, _ = self.post(step.get('conn', 'a'), envelope, {'Content-Type': SOAP_CONTENT_TYPE})
            return leg
        ctx = self.contexts[step.get('ctx', 'main')]
        seq = ctx.security.outgoing_seq_num
        sealed, signature = ctx.security.wrap(envelope)
        if step.get('tamper') == 'flip-data':
            sealed = bytearray(sealed)
            sealed[len(sealed) // 2] ^= 0x01
            sealed = bytes(sealed)
        elif step.get('tamper') == 'flip-signature':
            signature = bytearray(signature)
            signature[6] ^= 0x01
            signature = bytes(signature)
        elif step.get('tamper') is not None:
            raise ValueError('unknown tamper %r' % step['tamper'])
        length = str(len(envelope) + step.get('length_delta', 0)).encode('ascii')
        # Byte for byte what pywinrm's Encryption._encrypt_message + prepare_encrypted_request produce.
        body = (MIME_BOUNDARY + b'\r\n'
                b'\tContent-Type: ' + PROTOCOL + b'\r\n'
                b'\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=' + length + b'\r\n' +
                MIME_BOUNDARY + b'\r\n'
                b'\tContent-Type: application/octet-stream\r\n' +
                struct.pack('<i', len(signature)) + signature + sealed +
                MIME_BOUNDARY + b'--\r\n')
        self.last_encrypted = (ctx, body)
        leg, data = self.post(step.get('conn', 'a'), body, {'Content-Type': ENCRYPTED_CONTENT_TYPE})
        leg['sent'] = {'seq': seq}
        self.read_reply(leg, data, ctx)
        return leg

    def replay(self, step):
        if self.last_encrypted is None:
            raise RuntimeError('nothing to replay')
        ctx, body = self.last_encrypted
        leg, data = self.post(step.get('conn', 'a'), body, {'Content-Type': ENCRYPTED_CONTENT_TYPE})
        self.read_reply(leg, data, ctx)
        return leg

    def read_reply(self, leg, data, ctx):
        content_type = leg['content_type'] or ''
        if not content_type.lower().startswith('multipart/encrypted'):
            return
        try:
            leg['reply'] = unframe_and_decrypt(content_type, data, ctx)
        except Exception as exc:  # a broken reply is a finding for the test, not a crash
            leg['reply_error'] = '%s: %s' % (type(exc).__name__, exc)


FRAME = re.compile(
    rb'\A--Encrypted Boundary\r\n'
    rb'\tContent-Type: (?P<protocol>[^\r\n]*)\r\n'
    rb'\tOriginalContent: (?P<original>[^\r\n]*)\r\n'
    rb'--Encrypted Boundary\r\n'
    rb'\tContent-Type: application/octet-stream\r\n', re.DOTALL)
TRAILER = MIME_BOUNDARY + b'--\r\n'


def unframe_and_decrypt(content_type, data, ctx):
    """The server's reply, checked against the layout of notes 2.2 (one part) and unsealed."""
    if 'protocol="application/HTTP-SPNEGO-session-encrypted"' not in content_type:
        raise ValueError('unexpected protocol in %r' % content_type)
    if 'boundary="Encrypted Boundary"' not in content_type:
        raise ValueError('unexpected boundary in %r' % content_type)
    match = FRAME.match(data)
    if match is None:
        raise ValueError('MIME headers not as expected: %r' % data[:200])
    original = match.group('original').decode('ascii')
    length_match = re.search(r'(?i);length=(\d+)', original)
    if length_match is None:
        raise ValueError('no Length= in %r' % original)
    length = int(length_match.group(1))
    rest = data[match.end():]
    if len(rest) < 4:
        raise ValueError('no Length-Field')
    header_len = struct.unpack('<I', rest[:4])[0]
    if header_len != 16:
        raise ValueError('NTLM signature length %d, expected 16' % header_len)
    signature = rest[4:4 + header_len]
    sealed = rest[4 + header_len:4 + header_len + length]
    tail = rest[4 + header_len + length:]
    if tail != TRAILER:
        raise ValueError('after %d bytes of data: %r instead of the closing boundary' % (length, tail[:60]))
    plaintext = ctx.security.unwrap(sealed, signature)
    return {
        'protocol': match.group('protocol').decode('ascii'),
        'original_content': original,
        'original_length': length,
        'text': plaintext.decode('utf-8'),
    }


def run(spec, legs):
    client = Client(spec)
    try:
        for index, step in enumerate(spec['steps']):
            op = step['op']
            try:
                if op == 'close':
                    conn = client.conns.pop(step.get('conn', 'a'), None)
                    if conn is not None:
                        conn.close()
                    continue
                if op == 'anonymous':
                    leg, _ = client.post(step.get('conn', 'a'), b'', {'Content-Type': SOAP_CONTENT_TYPE})
                elif op == 'negotiate':
                    leg = client.negotiate(step)
                elif op == 'authenticate':
                    leg = client.authenticate(step)
                elif op == 'send':
                    leg = client.send(step)
                elif op == 'replay':
                    leg = client.replay(step)
                else:
                    raise ValueError('unknown op %r' % op)
            except Exception as exc:
                exc.step_index = index
                raise
            leg['op'] = op
            legs.append(leg)
    finally:
        for conn in client.conns.values():
            conn.close()


def main():
    raw = sys.argv[1] if len(sys.argv) > 1 else sys.stdin.read()
    try:
        spec = json.loads(raw)
        spec['host'], spec['port'], spec['user'], spec['password'], spec['steps']
    except (ValueError, KeyError) as exc:
        sys.stderr.write('bad spec: %s\n' % exc)
        return 2
    legs = []
    output = {'ok': True, 'legs': legs, 'error': None}
    try:
        run(spec, legs)
    except Exception as exc:  # reported as data: the test shows which step broke and why
        output['ok'] = False
        output['error'] = {'step': getattr(exc, 'step_index', None), 'class': type(exc).__name__,
                           'message': str(exc)}
    json.dump(output, sys.stdout)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
