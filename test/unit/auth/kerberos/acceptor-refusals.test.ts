import { describe, expect, it } from 'vitest';
import { GssFlags } from '../../../../auth/kerberos/authenticator-checksum.js';
import { TicketFlags } from '../../../../auth/kerberos/asn1/index.js';
import { MemoryReplayCache } from '../../../../auth/kerberos/replay-cache.js';
import { gssChannelBindingsHash } from '../../../../auth/ntlm/channel-bindings.js';
import { makeAcceptor, service, type Service } from './harness.js';
import { type ApReqOptions, HOUR, NOW, type TicketOptions, buildApReq, issueTicket, randomKey } from './test-kdc.js';

const MINUTE = 60_000;

async function attempt(
  svc: Service,
  ticket: Partial<TicketOptions> = {},
  apReq: Partial<ApReqOptions> = {},
  options: Parameters<typeof makeAcceptor>[1] = {},
): Promise<string> {
  const issued = issueTicket({ serviceKey: svc.key, kvno: svc.kvno, ...ticket });
  const result = await makeAcceptor(svc, options).step(buildApReq({ issued, ...apReq }).token);
  return result.kind === 'failed' ? `failed: ${result.reason}` : result.kind;
}

describe('KerberosAcceptor refusals (RFC 4120 §3.2.3)', () => {
  const svc = service(18, 3);

  it('refuses a ticket made with another service key', async () => {
    expect(await attempt(svc, { serviceKey: randomKey(18) })).toMatch(/^failed: ticket .*does not decrypt/);
  });

  it('refuses a ticket whose kvno or etype the keytab lacks', async () => {
    expect(await attempt(svc, { kvno: 4 })).toMatch(/^failed: no key for HTTP\/srv01.example.com@EXAMPLE.COM kvno 4 etype 18/);
    expect(await attempt(svc, { serviceKey: randomKey(17) })).toMatch(/^failed: no key .* etype 17/);
  });

  it('refuses unsupported etypes and services other than HTTP and WSMAN', async () => {
    const issued = issueTicket({ serviceKey: svc.key });
    const des3 = { ...issued, ticket: { ...issued.ticket, encPart: { ...issued.ticket.encPart, etype: 16 } } };
    expect(await makeAcceptor(svc).step(buildApReq({ issued: des3 }).token)).toEqual({ kind: 'failed', reason: 'ticket etype 16 is not supported' });
    expect(await attempt(svc, { sname: { nameType: 2, nameString: ['host', 'srv01.example.com'] } })).toMatch(/service host/);
    expect(await attempt(svc, { sname: { nameType: 2, nameString: ['host', 'srv01.example.com'] } }, {}, { acceptedServices: ['host'] })).toMatch(/no key/);
    expect(await attempt(svc, { sname: { nameType: 2, nameString: ['wsman', 'srv01.example.com'] } })).toMatch(/no key/);
  });

  it('checks ticket times with the clock skew', async () => {
    expect(await attempt(svc, { endtime: new Date(NOW.getTime() - 6 * MINUTE) })).toBe('failed: ticket has expired');
    expect(await attempt(svc, { endtime: new Date(NOW.getTime() - 4 * MINUTE) })).toBe('complete');
    expect(await attempt(svc, { starttime: new Date(NOW.getTime() + 6 * MINUTE) })).toBe('failed: ticket is not yet valid');
    expect(await attempt(svc, { authtime: new Date(NOW.getTime() + 6 * MINUTE) })).toBe('failed: ticket is not yet valid');
    expect(await attempt(svc, { authtime: new Date(NOW.getTime() + 4 * MINUTE) })).toBe('complete');
    expect(await attempt(svc, { starttime: new Date(NOW.getTime() + 6 * MINUTE) }, {}, { maxClockSkewMs: HOUR })).toBe('complete');
  });

  it('refuses INVALID tickets', async () => {
    expect(await attempt(svc, { flags: TicketFlags.invalid | TicketFlags.postdated })).toBe('failed: ticket is marked INVALID');
  });

  it('refuses an authenticator outside the clock skew', async () => {
    expect(await attempt(svc, {}, { ctime: new Date(NOW.getTime() - 6 * MINUTE) })).toBe('failed: authenticator time is outside the clock skew');
    expect(await attempt(svc, {}, { ctime: new Date(NOW.getTime() + 6 * MINUTE) })).toBe('failed: authenticator time is outside the clock skew');
    expect(await attempt(svc, {}, { ctime: new Date(NOW.getTime() - 4 * MINUTE) })).toBe('complete');
  });

  it('refuses an authenticator not made with the session key, or naming another client', async () => {
    expect(await attempt(svc, {}, { authenticatorKey: randomKey(18) })).toBe('failed: authenticator does not decrypt');
    expect(await attempt(svc, {}, { authenticatorKey: randomKey(17) })).toBe('failed: authenticator etype differs from the session key');
    expect(await attempt(svc, {}, { cname: { nameType: 1, nameString: ['mallory'] } })).toBe('failed: authenticator client does not match the ticket');
    expect(await attempt(svc, {}, { crealm: 'OTHER.COM' })).toBe('failed: authenticator client does not match the ticket');
  });

  it('refuses a replayed authenticator but not a new one with the same ctime and cusec', async () => {
    const replayCache = new MemoryReplayCache({ now: () => NOW.getTime() });
    const issued = issueTicket({ serviceKey: svc.key });
    const first = buildApReq({ issued });
    expect((await makeAcceptor(svc, { replayCache }).step(first.token)).kind).toBe('complete');
    expect(await makeAcceptor(svc, { replayCache }).step(first.token)).toEqual({ kind: 'failed', reason: 'authenticator replayed' });
    // Same client, ctime and cusec, fresh encryption: a different authenticator.
    const second = buildApReq({ issued });
    expect((await makeAcceptor(svc, { replayCache }).step(second.token)).kind).toBe('complete');
  });

  it('does not remember authenticators that failed other checks', async () => {
    const replayCache = new MemoryReplayCache({ now: () => NOW.getTime() });
    const built = buildApReq({ issued: issueTicket({ serviceKey: svc.key, crealm: 'OTHER.COM' }) });
    await makeAcceptor(svc, { replayCache }).step(built.token);
    expect(replayCache.size).toBe(0);
  });

  it('fails a client from a realm it does not accept like a bad password', async () => {
    expect(await attempt(svc, { crealm: 'EVIL.ORG' })).toBe('failed: client realm EVIL.ORG is not accepted');
    expect(await attempt(svc, { crealm: 'example.com' })).toBe('failed: client realm example.com is not accepted');
    expect(await attempt(svc, { crealm: 'CHILD.EXAMPLE.COM' }, {}, { acceptedRealms: ['EXAMPLE.COM', 'CHILD.EXAMPLE.COM'] })).toBe('complete');
  });

  it('refuses other checksum types, DCE style and user-to-user', async () => {
    expect(await attempt(svc, {}, { cksum: { cksumtype: 16, checksum: Buffer.alloc(12) } })).toBe('failed: authenticator checksum type 16 is not 0x8003');
    expect(await attempt(svc, {}, { gssFlags: GssFlags.mutual | GssFlags.dceStyle })).toBe('failed: DCE-style context requested');
    expect(await attempt(svc, {}, { apOptions: 0x6000_0000 })).toBe('failed: user-to-user (use-session-key) is not supported');
    expect(await attempt(svc, {}, { cksum: { cksumtype: 0x8003, checksum: Buffer.alloc(10) } })).toMatch(/^failed: GSS checksum/);
  });

  it('accepts an authenticator without a checksum (no flags, no bindings)', async () => {
    expect(await attempt(svc, {}, { cksum: null })).toBe('complete');
  });
});

describe('KerberosAcceptor channel bindings (notes §1.8)', () => {
  const svc = service();
  const ours = gssChannelBindingsHash(Buffer.from('tls-server-end-point:ours'));
  const theirs = gssChannelBindingsHash(Buffer.from('tls-server-end-point:mitm'));
  const zero = Buffer.alloc(16);
  const check = (policy: 'None' | 'Relaxed' | 'Strict', bindings: Buffer | null): Promise<string> =>
    attempt(svc, {}, bindings === null ? { cksum: null } : { bindings }, { channelBindingPolicy: policy, channelBindingHash: ours });

  it('None ignores them', async () => {
    expect(await check('None', theirs)).toBe('complete');
  });

  it('Relaxed (the default) rejects a mismatch but accepts zero or missing bindings', async () => {
    expect(await check('Relaxed', ours)).toBe('complete');
    expect(await check('Relaxed', theirs)).toBe('failed: channel bindings do not match this TLS connection');
    expect(await check('Relaxed', zero)).toBe('complete');
    expect(await check('Relaxed', null)).toBe('complete');
    expect(await attempt(svc, {}, { bindings: theirs }, { channelBindingHash: ours })).toMatch(/do not match/);
  });

  it('Strict requires a match when the connection has bindings', async () => {
    expect(await check('Strict', ours)).toBe('complete');
    expect(await check('Strict', zero)).toBe('failed: client sent no channel bindings (policy Strict)');
    expect(await check('Strict', null)).toBe('failed: client sent no channel bindings (policy Strict)');
    expect(await check('Strict', theirs)).toMatch(/do not match/);
    // Plain HTTP: nothing to compare with.
    expect(await attempt(svc, {}, { bindings: theirs }, { channelBindingPolicy: 'Strict' })).toBe('complete');
  });
});

describe('KerberosAcceptor with garbage', () => {
  const svc = service();
  const tokens: readonly (readonly [string, Buffer])[] = [
    ['empty', Buffer.alloc(0)],
    ['random', Buffer.from('8f1c22d9a0b1c2d3e4f5', 'hex')],
    ['NTLM', Buffer.from('NTLMSSP\0\x01\0\0\0', 'latin1')],
    ['SPNEGO NegTokenInit', Buffer.from('604806062b0601050502a03e303ca00e300c060a2b06010401823702020a', 'hex')],
    ['GSS AP-REP instead of AP-REQ', Buffer.from('601006092a864886f71201020202006f00', 'hex')],
    ['bare AP-REQ tag with junk', Buffer.from('6e03020105', 'hex')],
  ];

  it.each(tokens)('fails on %s without throwing', async (_name, token) => {
    const acceptor = makeAcceptor(svc);
    const result = await acceptor.step(token);
    expect(result.kind).toBe('failed');
    expect(acceptor.state).toBe('failed');
  });
});
