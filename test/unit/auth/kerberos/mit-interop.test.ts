import { describe, expect, it } from 'vitest';
import { KerberosAcceptor, type KerberosAcceptorOptions } from '../../../../auth/kerberos/acceptor.js';
import { MemoryReplayCache } from '../../../../auth/kerberos/replay-cache.js';
import { gssChannelBindingsHash } from '../../../../auth/ntlm/channel-bindings.js';
import {
  MIT_CAPTURE_TIME,
  MIT_CHANNEL_BINDINGS_APPLICATION_DATA,
  MIT_GSS_AP_REQ,
  MIT_MECH_TYPES,
  MIT_MIC,
  MIT_PLAINTEXT,
  MIT_SERVICE_KEY,
  MIT_WRAP_IOV_DATA,
  MIT_WRAP_IOV_HEADER,
  MIT_WRAP_TOKEN,
} from './mit-capture.js';

function mitAcceptor(overrides: Partial<KerberosAcceptorOptions> = {}): KerberosAcceptor {
  return new KerberosAcceptor({
    keys: ({ serviceComponents, realm, kvno, enctype }) =>
      serviceComponents.join('/') === 'HTTP/srv01.example.com' && realm === 'EXAMPLE.COM' && kvno === 2 && enctype === 18 ? MIT_SERVICE_KEY : undefined,
    acceptedRealms: ['EXAMPLE.COM'],
    now: () => MIT_CAPTURE_TIME,
    replayCache: new MemoryReplayCache({ now: () => MIT_CAPTURE_TIME.getTime() }),
    channelBindingHash: gssChannelBindingsHash(MIT_CHANNEL_BINDINGS_APPLICATION_DATA),
    channelBindingPolicy: 'Strict',
    // The subkey MIT then used for its tokens: 32 bytes of 0x5A.
    randomBytes: (n) => Buffer.alloc(n, 0x5a),
    ...overrides,
  });
}

describe('Against a captured MIT krb5 1.20 initiator', () => {
  it('accepts its AP-REQ, channel bindings included', async () => {
    const result = await mitAcceptor().step(MIT_GSS_AP_REQ);
    expect(result.kind === 'complete' && result.identity).toEqual({
      accountName: 'alice',
      clientUserName: 'alice',
      clientDomain: 'EXAMPLE.COM',
      mechanism: 'Kerberos',
    });
  });

  it('unwraps its gss_wrap_iov token (60-byte header: EC 0, RRC 28), its gss_wrap token and verifies its MIC, in sequence', async () => {
    const acceptor = mitAcceptor();
    await acceptor.step(MIT_GSS_AP_REQ);
    expect(MIT_WRAP_IOV_HEADER.length).toBe(60);
    expect(MIT_WRAP_IOV_HEADER.subarray(0, 8).toString('hex')).toBe('050406ff0000001c');
    expect(MIT_WRAP_IOV_DATA.length).toBe(MIT_PLAINTEXT.length);
    expect(acceptor.unwrap({ header: MIT_WRAP_IOV_HEADER, data: MIT_WRAP_IOV_DATA })).toEqual(MIT_PLAINTEXT);
    expect(MIT_WRAP_TOKEN.readUInt16BE(6)).toBe(0);
    expect(acceptor.unwrap({ header: MIT_WRAP_TOKEN.subarray(0, 16), data: MIT_WRAP_TOKEN.subarray(16) })).toEqual(MIT_PLAINTEXT);
    expect(acceptor.verifyMic(MIT_MECH_TYPES, MIT_MIC)).toBe(true);
    // Each of those consumed a sequence number: none can be replayed.
    expect(() => acceptor.unwrap({ header: MIT_WRAP_IOV_HEADER, data: MIT_WRAP_IOV_DATA })).toThrow(/replayed/);
  });

  it('refuses the same AP-REQ with other channel bindings, later than the skew, or a second time', async () => {
    const otherBindings = gssChannelBindingsHash(Buffer.from('tls-server-end-point:other'));
    expect(await mitAcceptor({ channelBindingHash: otherBindings }).step(MIT_GSS_AP_REQ)).toMatchObject({ kind: 'failed' });
    const later = new Date(MIT_CAPTURE_TIME.getTime() + 6 * 60_000);
    expect(await mitAcceptor({ now: () => later }).step(MIT_GSS_AP_REQ)).toEqual({
      kind: 'failed',
      reason: 'authenticator time is outside the clock skew',
    });
    const replayCache = new MemoryReplayCache({ now: () => MIT_CAPTURE_TIME.getTime() });
    expect((await mitAcceptor({ replayCache }).step(MIT_GSS_AP_REQ)).kind).toBe('complete');
    expect(await mitAcceptor({ replayCache }).step(MIT_GSS_AP_REQ)).toEqual({ kind: 'failed', reason: 'authenticator replayed' });
  });
});
