import { describe, expect, it } from 'vitest';
import { KerberosAcceptor } from '../../../../auth/kerberos/acceptor.js';
import { parseApRep, parseEncApRepPart } from '../../../../auth/kerberos/asn1/index.js';
import { GssFlags } from '../../../../auth/kerberos/authenticator-checksum.js';
import { findKey, parseKeytab, serializeKeytab } from '../../../../auth/kerberos/keytab/keytab.js';
import { parseGssKrb5Token } from '../../../../auth/kerberos/gss-token.js';
import { MemoryReplayCache } from '../../../../auth/kerberos/replay-cache.js';
import { MessageSecurityError } from '../../../../auth/security-context.js';
import { establish, makeAcceptor, service } from './harness.js';
import { NOW, REALM, SERVICE, buildApReq, enctype, issueTicket, randomKey } from './test-kdc.js';

describe('KerberosAcceptor: a full accept', () => {
  it('completes with the client identity and an AP-REP the client can decrypt', async () => {
    const svc = service(18);
    const issued = issueTicket({ serviceKey: svc.key, kvno: 3 });
    const built = buildApReq({ issued });
    const acceptor = makeAcceptor(svc);
    const result = await acceptor.step(built.token);

    expect(result.kind).toBe('complete');
    if (result.kind !== 'complete' || result.token === undefined) return;
    expect(result.identity).toEqual({ accountName: 'alice', clientUserName: 'alice', clientDomain: REALM, mechanism: 'Kerberos' });
    expect(svc.requests).toEqual([{ serviceComponents: SERVICE.nameString, realm: REALM, kvno: 3, enctype: 18 }]);

    const gss = parseGssKrb5Token(result.token);
    expect(gss).toMatchObject({ mech: '1.2.840.113554.1.2.2', tokId: 0x0200 });
    const apRep = parseApRep(gss.message);
    expect(apRep.encPart.etype).toBe(18);
    expect(apRep.encPart.kvno).toBeUndefined();
    const part = parseEncApRepPart(enctype(18).decrypt(issued.sessionKey.key, 12, apRep.encPart.cipher));
    expect(part.ctime).toEqual(NOW);
    expect(part.cusec).toBe(built.cusec);
    expect(part.subkey?.keytype).toBe(18);
    expect(part.subkey?.keyvalue.length).toBe(32);
    expect(part.subkey?.keyvalue.equals(issued.sessionKey.key)).toBe(false);
    expect(part.seqNumber).toBeLessThan(2 ** 31);
  });

  it.each([17, 18, 19, 20, 23])('accepts tickets and session keys of etype %i', async (etype) => {
    const { initiator } = await establish(service(etype));
    expect(initiator.key.etype).toBe(etype);
  });

  it('uses deterministic randomness when injected (subkey and seq-number)', async () => {
    const randomBytes = (n: number): Buffer => Buffer.alloc(n, 0x81);
    const { initiator } = await establish(service(17), {}, { randomBytes });
    expect(initiator.key.key).toEqual(Buffer.alloc(16, 0x81));
    expect(initiator.receiveSeq).toBe(0x01818181n);
  });

  it('gives the acceptor subkey the etype of the initiator subkey', async () => {
    const { initiator } = await establish(service(18), { subkey: randomKey(17) });
    expect(initiator.key.etype).toBe(17);
  });

  it('answers the MS OID with the MS OID and a bare AP-REQ with a bare AP-REP (as MIT does)', async () => {
    const svc = service();
    const ms = await makeAcceptor(svc).step(buildApReq({ issued: issueTicket({ serviceKey: svc.key }), framing: '1.2.840.48018.1.2.2' }).token);
    expect(ms.kind === 'complete' && ms.token !== undefined && parseGssKrb5Token(ms.token).mech).toBe('1.2.840.48018.1.2.2');
    const bare = await makeAcceptor(svc).step(buildApReq({ issued: issueTicket({ serviceKey: svc.key }), framing: 'bare' }).token);
    expect(bare.kind === 'complete' && bare.token?.[0]).toBe(0x6f);
  });

  it('sends no AP-REP when the client asks for no mutual authentication', async () => {
    const svc = service();
    const result = await makeAcceptor(svc).step(buildApReq({ issued: issueTicket({ serviceKey: svc.key }), apOptions: 0, gssFlags: GssFlags.sequence }).token);
    expect(result.kind).toBe('complete');
    expect(result.kind === 'complete' && result.token).toBeUndefined();
  });

  it('names multi-component principals by their first component and keeps the full name for the log', async () => {
    const svc = service();
    const issued = issueTicket({ serviceKey: svc.key, cname: { nameType: 1, nameString: ['bob', 'admin'] } });
    const result = await makeAcceptor(svc).step(buildApReq({ issued }).token);
    expect(result.kind === 'complete' && result.identity).toMatchObject({ accountName: 'bob', clientUserName: 'bob/admin' });
  });

  it('works with a key looked up from a keytab (parseKeytab + findKey)', async () => {
    const key = randomKey(18);
    const keytab = serializeKeytab([
      { principal: { realm: REALM, components: ['HTTP', 'SRV01.example.com'], nameType: 3 }, timestamp: 0, kvno: 7, enctype: 18, key: key.key },
    ]);
    const entries = parseKeytab(keytab);
    const acceptor = new KerberosAcceptor({
      keys: ({ serviceComponents, realm, kvno, enctype: etype }) => findKey(entries, { components: serviceComponents, realm, kvno, enctype: etype })?.key,
      acceptedRealms: [REALM],
      now: () => NOW,
      replayCache: new MemoryReplayCache(),
    });
    const result = await acceptor.step(buildApReq({ issued: issueTicket({ serviceKey: key, kvno: 7 }) }).token);
    expect(result.kind).toBe('complete');
  });

  it('refuses to wrap, unwrap or sign before completion', () => {
    const acceptor = makeAcceptor(service());
    expect(() => acceptor.wrap(Buffer.from('x'))).toThrow(MessageSecurityError);
    expect(() => acceptor.unwrap({ header: Buffer.alloc(60), data: Buffer.alloc(1) })).toThrow(MessageSecurityError);
    expect(() => acceptor.signMic(Buffer.from('x'))).toThrow(MessageSecurityError);
    expect(acceptor.verifyMic(Buffer.from('x'), Buffer.alloc(28))).toBe(false);
  });

  it('accepts one AP-REQ per context', async () => {
    const { acceptor, built } = await establish();
    const again = await acceptor.step(built.token);
    expect(again).toEqual({ kind: 'failed', reason: 'Kerberos context already used' });
  });

  it('reports a throwing key lookup as a failure, not an exception', async () => {
    const svc = service();
    const acceptor = makeAcceptor(svc, {
      keys: () => {
        throw new Error('keytab unreadable');
      },
    });
    const result = await acceptor.step(buildApReq({ issued: issueTicket({ serviceKey: svc.key }) }).token);
    expect(result).toEqual({ kind: 'failed', reason: 'internal error: keytab unreadable' });
    expect(acceptor.state).toBe('failed');
  });
});
