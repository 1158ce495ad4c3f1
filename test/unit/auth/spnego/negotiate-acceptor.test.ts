import { describe, expect, it } from 'vitest';
import { MessageSecurityError, type SecurityContext, type StepResult } from '../../../../auth/security-context.js';
import { NegState, parseNegTokenResp, type NegTokenResp } from '../../../../auth/spnego/neg-token.js';
import { SpnegoAcceptor, type MechanismFactory } from '../../../../auth/spnego/negotiate-acceptor.js';
import type { SpnegoMechanism } from '../../../../auth/spnego/oids.js';
import * as capture from './captures.js';
import { OIDS, der, mechTypeList, negTokenInit, negTokenResp } from './compose.js';
import { FakeMechanism, IDENTITY, MicLessMechanism, testMic } from './fake-mechanism.js';
import { prng } from '../../../support/prng.js';

const NEGOTIATE = Buffer.from('4e544c4d5353500001000000378208e000000000000000000000000000000000', 'hex');
const AUTHENTICATE = Buffer.concat([Buffer.from('NTLMSSP\0', 'latin1'), Buffer.from([3, 0, 0, 0]), Buffer.alloc(60, 1)]);

/** A factory that offers only the given mechanisms, recording what it was asked for. */
function factoryOf(offer: Partial<Record<SpnegoMechanism, SecurityContext>>): MechanismFactory & { asked: SpnegoMechanism[] } {
  const asked: SpnegoMechanism[] = [];
  const factory = (mech: SpnegoMechanism): SecurityContext | undefined => {
    asked.push(mech);
    return offer[mech];
  };
  return Object.assign(factory, { asked });
}

function tokenOf(result: StepResult): NegTokenResp {
  if (result.kind === 'failed') throw new Error(`step failed: ${result.reason}`);
  if (result.token === undefined) throw new Error('no token');
  return parseNegTokenResp(result.token);
}

describe('SpnegoAcceptor replays recorded exchanges byte for byte', () => {
  it('Windows client and server, NTLM as the only mechanism', async () => {
    const ntlm = new FakeMechanism({
      challenge: capture.WINDOWS_NTLM_CHALLENGE,
      clientMic: Buffer.from('01000000a32d4dd6161b084f00000000', 'hex'),
      serverMic: Buffer.from('01000000791f335a883b1df000000000', 'hex'),
    });
    const acceptor = new SpnegoAcceptor(factoryOf({ NTLM: ntlm }));

    const first = await acceptor.step(capture.WINDOWS_NEG_TOKEN_INIT);
    expect(first.kind).toBe('continue');
    expect(first.kind === 'continue' && first.token.toString('hex')).toBe(capture.WINDOWS_SERVER_RESP_1.toString('hex'));

    const last = await acceptor.step(capture.WINDOWS_CLIENT_RESP_2);
    expect(last).toEqual({ kind: 'complete', token: capture.WINDOWS_SERVER_RESP_FINAL, identity: IDENTITY });
    expect(ntlm.calls.map((c) => c.split(':')[0])).toEqual(['step', 'step', 'verifyMic', 'signMic']);
    expect(ntlm.micData.map((d) => d.toString('hex'))).toEqual(['300c060a2b06010401823702020a', '300c060a2b06010401823702020a']);
    expect(acceptor.mechanism).toBe('NTLM');
  });

  it('MIT client offering Kerberos first: request-mic, restart in NTLM, MIC exchange', async () => {
    const ntlm = new FakeMechanism({
      challenge: capture.MIT_NTLM_CHALLENGE,
      clientMic: Buffer.from('01000000b8b7e714154841e200000000', 'hex'),
      serverMic: Buffer.from('01000000260ec7093b1cccb900000000', 'hex'),
    });
    const factory = factoryOf({ NTLM: ntlm });
    const acceptor = new SpnegoAcceptor(factory);

    const hex = async (token: Buffer): Promise<string> => {
      const result = await acceptor.step(token);
      return result.kind === 'failed' ? `failed: ${result.reason}` : (result.token?.toString('hex') ?? '');
    };
    expect(await hex(capture.MIT_NEG_TOKEN_INIT)).toBe(capture.MIT_SERVER_RESP_1.toString('hex'));
    expect(ntlm.calls).toEqual([]); // the optimistic Kerberos token was not fed to NTLM
    expect(factory.asked).toEqual(['Kerberos', 'NTLM']);
    expect(await hex(capture.MIT_CLIENT_RESP_1)).toBe(capture.MIT_SERVER_RESP_2.toString('hex'));
    expect(await hex(capture.MIT_CLIENT_RESP_2)).toBe(capture.MIT_SERVER_RESP_FINAL.toString('hex'));
    expect(ntlm.micData[0]?.toString('hex')).toBe('301706092a864886f712010202060a2b06010401823702020a');
  });
});

describe('SpnegoAcceptor mechanism selection', () => {
  const windowsList = [OIDS.msKerberos, OIDS.kerberos, OIDS.negoex, OIDS.ntlm];

  it('answers request-mic + supportedMech when it cannot use the client’s first choice, then runs NTLM', async () => {
    const ntlm = new FakeMechanism();
    const acceptor = new SpnegoAcceptor(factoryOf({ NTLM: ntlm }));
    const first = tokenOf(await acceptor.step(negTokenInit({ mechTypes: windowsList, mechToken: Buffer.from('krb5-ap-req') })));
    expect(first).toEqual({ kind: 'resp', negState: NegState.requestMic, supportedMech: OIDS.ntlm, responseToken: undefined, mechListMIC: undefined });

    const second = tokenOf(await acceptor.step(negTokenResp({ negState: 1, responseToken: NEGOTIATE })));
    expect(second).toEqual({ kind: 'resp', negState: NegState.acceptIncomplete, supportedMech: undefined, responseToken: Buffer.from('challenge'), mechListMIC: undefined });

    const micInput = der(mechTypeList(windowsList));
    const last = await acceptor.step(negTokenResp({ negState: 1, responseToken: AUTHENTICATE, mechListMIC: testMic('client', micInput) }));
    expect(last.kind).toBe('complete');
    expect(tokenOf(last)).toEqual({ kind: 'resp', negState: NegState.acceptCompleted, supportedMech: undefined, responseToken: undefined, mechListMIC: testMic('server', micInput) });
  });

  it('answers accept-incomplete + supportedMech when the preferred mechanism came without a token', async () => {
    const acceptor = new SpnegoAcceptor(factoryOf({ NTLM: new FakeMechanism() }));
    const first = tokenOf(await acceptor.step(negTokenInit({ mechTypes: [OIDS.ntlm, OIDS.kerberos] })));
    expect(first).toMatchObject({ negState: NegState.acceptIncomplete, supportedMech: OIDS.ntlm, responseToken: undefined });
    expect((await acceptor.step(negTokenResp({ responseToken: NEGOTIATE }))).kind).toBe('continue');
  });

  it('feeds the optimistic token and echoes the OID the client used (MS-KRB5), one leg, no MIC needed', async () => {
    const krb = new FakeMechanism({ oneLeg: true, finalToken: Buffer.from('ap-rep') });
    const acceptor = new SpnegoAcceptor(factoryOf({ Kerberos: krb, NTLM: new FakeMechanism() }));
    const result = await acceptor.step(negTokenInit({ mechTypes: [OIDS.msKerberos, OIDS.kerberos, OIDS.ntlm], mechToken: Buffer.from('ap-req') }));
    expect(result.kind).toBe('complete');
    expect(tokenOf(result)).toEqual({ kind: 'resp', negState: NegState.acceptCompleted, supportedMech: OIDS.msKerberos, responseToken: Buffer.from('ap-rep'), mechListMIC: undefined });
    expect(krb.calls).toEqual([`step:${Buffer.from('ap-req').toString('hex')}`]);
    expect(acceptor.mechanism).toBe('Kerberos');
  });

  it('sends its MIC first and waits for the client’s when one is required but not yet sent', async () => {
    const inner = new FakeMechanism({ oneLeg: true, finalToken: Buffer.from('ap-rep') });
    const list = [OIDS.negoex, OIDS.kerberos];
    const acceptor = new SpnegoAcceptor(factoryOf({ Kerberos: inner }));
    tokenOf(await acceptor.step(negTokenInit({ mechTypes: list })));
    const waiting = tokenOf(await acceptor.step(negTokenResp({ responseToken: Buffer.from('ap-req') })));
    expect(waiting).toMatchObject({ negState: NegState.acceptIncomplete, responseToken: Buffer.from('ap-rep'), mechListMIC: testMic('server', der(mechTypeList(list))) });
    const done = await acceptor.step(negTokenResp({ negState: 0, mechListMIC: testMic('client', der(mechTypeList(list))) }));
    expect(done.kind).toBe('complete');
    expect(tokenOf(done)).toEqual({ kind: 'resp', negState: NegState.acceptCompleted, supportedMech: undefined, responseToken: undefined, mechListMIC: undefined });
    expect(inner.calls.filter((c) => c.endsWith('Mic'))).toEqual(['signMic', 'verifyMic']);
  });
});

describe('SpnegoAcceptor failures', () => {
  async function failsWith(acceptor: SpnegoAcceptor, token: Buffer, reason: RegExp): Promise<void> {
    const result = await acceptor.step(token);
    expect(result.kind).toBe('failed');
    expect(result.kind === 'failed' ? result.reason : '').toMatch(reason);
  }

  it('fails when the client mechListMIC does not verify, without signing its own', async () => {
    const ntlm = new FakeMechanism();
    const acceptor = new SpnegoAcceptor(factoryOf({ NTLM: ntlm }));
    await acceptor.step(negTokenInit({ mechTypes: [OIDS.ntlm], mechToken: NEGOTIATE }));
    await failsWith(acceptor, negTokenResp({ responseToken: AUTHENTICATE, mechListMIC: Buffer.alloc(16) }), /mechListMIC/);
    expect(ntlm.calls).not.toContain('signMic');
    expect(() => acceptor.wrap(Buffer.from('x'))).toThrow(MessageSecurityError);
    await failsWith(acceptor, negTokenResp({ responseToken: AUTHENTICATE }), /already finished/);
  });

  it('fails when a required MIC never comes', async () => {
    const acceptor = new SpnegoAcceptor(factoryOf({ Kerberos: new FakeMechanism({ oneLeg: true }) }));
    await acceptor.step(negTokenInit({ mechTypes: [OIDS.negoex, OIDS.kerberos] }));
    expect((await acceptor.step(negTokenResp({ responseToken: Buffer.from('ap-req') }))).kind).toBe('continue');
    await failsWith(acceptor, negTokenResp({ negState: 0 }), /required mechListMIC/);
  });

  it('fails when a client MIC arrives but the mechanism cannot check it', async () => {
    const acceptor = new SpnegoAcceptor(factoryOf({ NTLM: new MicLessMechanism() }));
    await failsWith(acceptor, negTokenInit({ mechTypes: [OIDS.ntlm], mechToken: NEGOTIATE, mechListMIC: Buffer.alloc(16) }), /mechListMIC/);
  });

  it('ignores a mechListMIC that merely repeats the responseToken (old initiators)', async () => {
    const ntlm = new FakeMechanism();
    const acceptor = new SpnegoAcceptor(factoryOf({ NTLM: ntlm }));
    await acceptor.step(negTokenInit({ mechTypes: [OIDS.ntlm], mechToken: NEGOTIATE }));
    const result = await acceptor.step(negTokenResp({ responseToken: AUTHENTICATE, mechListMIC: AUTHENTICATE }));
    expect(tokenOf(result)).toMatchObject({ negState: NegState.acceptCompleted, mechListMIC: undefined });
    expect(ntlm.calls.filter((c) => c.endsWith('Mic'))).toEqual([]);
  });

  it.each([
    ['no known mechanism', negTokenInit({ mechTypes: [OIDS.negoex, '1.2.3.4'] }), /no mechanism in common/],
    ['raw NTLMSSP', NEGOTIATE, /bad SPNEGO token/],
    ['a NegTokenResp first', negTokenResp({ responseToken: NEGOTIATE }), /expected a NegTokenInit/],
    ['random bytes', Buffer.from('not a token at all'), /bad SPNEGO token/],
  ])('fails on %s as the first token', async (_label, token, reason) => {
    await failsWith(new SpnegoAcceptor(factoryOf({ NTLM: new FakeMechanism() })), token, reason);
  });

  it('fails when the factory offers nothing the client lists', async () => {
    const factory = factoryOf({});
    await failsWith(new SpnegoAcceptor(factory), negTokenInit({ mechTypes: [OIDS.msKerberos, OIDS.kerberos, OIDS.ntlm] }), /no mechanism/);
    expect(factory.asked).toEqual(['Kerberos', 'NTLM']);
  });

  it.each([
    ['a client reject', negTokenResp({ negState: 2 }), /rejected/],
    ['a second NegTokenInit', negTokenInit({ mechTypes: [OIDS.ntlm] }), /expected a NegTokenResp/],
    ['no responseToken', negTokenResp({ negState: 1 }), /without responseToken/],
    ['an inner failure', negTokenResp({ responseToken: Buffer.from('junk') }), /^NTLM: not an NTLM message/],
  ])('fails on %s in the second leg', async (_label, token, reason) => {
    const acceptor = new SpnegoAcceptor(factoryOf({ NTLM: new FakeMechanism() }));
    await acceptor.step(negTokenInit({ mechTypes: [OIDS.ntlm], mechToken: NEGOTIATE }));
    await failsWith(acceptor, token, reason);
  });

  it('contains an inner mechanism that throws', async () => {
    const throwing: SecurityContext = { step: () => Promise.reject(new Error('boom')), wrap: () => ({ header: Buffer.alloc(0), data: Buffer.alloc(0) }), unwrap: () => Buffer.alloc(0) };
    await failsWith(new SpnegoAcceptor(factoryOf({ NTLM: throwing })), negTokenInit({ mechTypes: [OIDS.ntlm], mechToken: NEGOTIATE }), /inner mechanism error/);
  });

  it('never throws on random input at any stage', async () => {
    const random = prng(99);
    for (let i = 0; i < 300; i++) {
      const acceptor = new SpnegoAcceptor(factoryOf({ NTLM: new FakeMechanism() }));
      if (i % 2 === 1) await acceptor.step(negTokenInit({ mechTypes: [OIDS.ntlm], mechToken: NEGOTIATE }));
      const garbage = Buffer.concat([Buffer.from([[0x60, 0xa0, 0xa1, 0x30][i % 4] ?? 0]), random.bytes(random.int(120))]);
      const result = await acceptor.step(garbage);
      expect(result.kind).toBe('failed');
    }
  });
});

describe('SpnegoAcceptor wrap and unwrap', () => {
  it('refuse before completion and delegate to the inner context after', async () => {
    const ntlm = new FakeMechanism();
    const acceptor = new SpnegoAcceptor(factoryOf({ NTLM: ntlm }));
    expect(() => acceptor.unwrap({ header: Buffer.alloc(16), data: Buffer.alloc(1) })).toThrow(MessageSecurityError);
    await acceptor.step(negTokenInit({ mechTypes: [OIDS.ntlm], mechToken: NEGOTIATE }));
    expect(() => acceptor.wrap(Buffer.from('early'))).toThrow(MessageSecurityError);
    await acceptor.step(negTokenResp({ responseToken: AUTHENTICATE }));
    const wrapped = acceptor.wrap(Buffer.from('<s:Envelope/>'));
    expect(acceptor.unwrap(wrapped).toString()).toBe('<s:Envelope/>');
    expect(ntlm.calls.slice(-2)).toEqual(['wrap', 'unwrap']);
  });
});
