import { describe, expect, it } from 'vitest';
import { NegState, parseNegTokenResp } from '../../../../auth/spnego/neg-token.js';
import { SpnegoAcceptor } from '../../../../auth/spnego/negotiate-acceptor.js';
import { isMicCapable } from '../../../../auth/spnego/mic-capable.js';
import { OIDS, mechTypeList, negTokenInit, negTokenResp } from '../spnego/compose.js';
import { establish, makeAcceptor, service } from './harness.js';
import { TestInitiator } from './test-initiator.js';
import { buildApReq, issueTicket } from './test-kdc.js';

const MECH_TYPES = Buffer.from(mechTypeList([OIDS.ntlm, OIDS.kerberos]).toBER());

describe('Kerberos MIC tokens (RFC 4121 §4.2.6.1)', () => {
  it('is MicCapable for SPNEGO', () => {
    expect(isMicCapable(makeAcceptor(service()))).toBe(true);
  });

  it('signs with usage 23 and the acceptor sequence; verifies the client with usage 25', async () => {
    const { acceptor, initiator } = await establish();
    const mic = acceptor.signMic(MECH_TYPES);
    expect(mic.length).toBe(28);
    expect(mic.subarray(0, 8).toString('hex')).toBe('040405ffffffffff');
    initiator.verify(MECH_TYPES, mic);
    expect(acceptor.verifyMic(MECH_TYPES, initiator.sign(MECH_TYPES))).toBe(true);
  });

  it('shares the sequence numbers with wrap tokens (MIT and SSPI keep one counter)', async () => {
    const { acceptor, initiator } = await establish();
    initiator.verify(MECH_TYPES, acceptor.signMic(MECH_TYPES));
    expect(initiator.unwrap(acceptor.wrap(Buffer.from('after the MIC')))).toEqual(Buffer.from('after the MIC'));
    expect(acceptor.verifyMic(MECH_TYPES, initiator.sign(MECH_TYPES))).toBe(true);
    expect(acceptor.unwrap(initiator.wrap(Buffer.from('next')))).toEqual(Buffer.from('next'));
  });

  it('returns false for a wrong, tampered, replayed or malformed MIC', async () => {
    const { acceptor, initiator } = await establish();
    const good = initiator.sign(MECH_TYPES);
    expect(acceptor.verifyMic(Buffer.from('other data'), good)).toBe(false);
    const tampered = Buffer.from(good);
    tampered[20] = (tampered[20] ?? 0) ^ 0x80;
    expect(acceptor.verifyMic(MECH_TYPES, tampered)).toBe(false);
    expect(acceptor.verifyMic(MECH_TYPES, good.subarray(0, 27))).toBe(false);
    expect(acceptor.verifyMic(MECH_TYPES, Buffer.alloc(0))).toBe(false);
    expect(acceptor.verifyMic(MECH_TYPES, good)).toBe(true);
    expect(acceptor.verifyMic(MECH_TYPES, good)).toBe(false);
    expect(acceptor.verifyMic(MECH_TYPES, acceptor.signMic(MECH_TYPES))).toBe(false);
  });

  it('runs under SPNEGO when Kerberos is not the first mechanism: both mechListMICs verify', async () => {
    const svc = service();
    const spnego = new SpnegoAcceptor((mech) => (mech === 'Kerberos' ? makeAcceptor(svc) : undefined));
    const first = await spnego.step(negTokenInit({ mechTypes: [OIDS.ntlm, OIDS.kerberos] }));
    expect(first.kind).toBe('continue');
    const issued = issueTicket({ serviceKey: svc.key });
    const built = buildApReq({ issued });
    const second = await spnego.step(negTokenResp({ responseToken: built.token }));
    if (second.kind !== 'continue') throw new Error(`expected continue, got ${second.kind}`);
    const resp = parseNegTokenResp(second.token);
    if (resp.responseToken === undefined || resp.mechListMIC === undefined) throw new Error('no AP-REP or MIC');
    const initiator = TestInitiator.fromApRep(resp.responseToken, built, issued);
    initiator.verify(MECH_TYPES, resp.mechListMIC);
    const last = await spnego.step(negTokenResp({ mechListMIC: initiator.sign(MECH_TYPES) }));
    expect(last.kind).toBe('complete');
    expect(parseNegTokenResp(last.kind === 'complete' && last.token !== undefined ? last.token : Buffer.alloc(0)).negState).toBe(NegState.acceptCompleted);
    expect(initiator.unwrap(spnego.wrap(Buffer.from('sealed')))).toEqual(Buffer.from('sealed'));
    expect(spnego.unwrap(initiator.wrap(Buffer.from('sealed back')))).toEqual(Buffer.from('sealed back'));
  });
});
