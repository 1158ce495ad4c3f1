import { describe, expect, it } from 'vitest';
import { MessageSecurityError, type WrappedMessage } from '../../../../auth/security-context.js';
import { establish, makeAcceptor, service } from './harness.js';
import { TestInitiator } from './test-initiator.js';
import { buildApReq, issueTicket } from './test-kdc.js';

const SOAP = Buffer.from('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>');

function flip(message: WrappedMessage, part: 'header' | 'data', index: number): WrappedMessage {
  const copy = { header: Buffer.from(message.header), data: Buffer.from(message.data) };
  const target = copy[part];
  target[index] = (target[index] ?? 0) ^ 0x01;
  return copy;
}

describe('Kerberos wrap for WinRM (RFC 4121 §4.2.6.2, MS-KILE 3.4.5.4.1)', () => {
  it.each([
    [17, 60],
    [18, 60],
    [19, 64],
    [20, 72],
  ])('etype %i: server tokens split into a %i-byte header and N bytes of data, EC 0, RRC 16 + checksum', async (etype, headerLength) => {
    const { acceptor, initiator } = await establish(service(etype));
    const wrapped = acceptor.wrap(SOAP);
    expect(wrapped.header.length).toBe(headerLength);
    expect(wrapped.data.length).toBe(SOAP.length);
    // TOK_ID 05 04, SentByAcceptor | Sealed | AcceptorSubkey, filler, EC 0, RRC.
    expect(wrapped.header.subarray(0, 8).toString('hex')).toBe(`050407ff0000${(headerLength - 32).toString(16).padStart(4, '0')}`);
    expect(wrapped.header.readBigUInt64BE(8)).toBe(initiator.receiveSeq);
    expect(initiator.unwrap(wrapped)).toEqual(SOAP);
  });

  it('numbers server tokens from the AP-REP seq-number, one per token', async () => {
    const { acceptor, initiator } = await establish();
    const first = initiator.receiveSeq;
    for (let i = 0; i < 3; i++) expect(initiator.unwrap(acceptor.wrap(Buffer.from(`message ${i}`)))).toEqual(Buffer.from(`message ${i}`));
    expect(initiator.receiveSeq).toBe(first + 3n);
  });

  it('unwraps client tokens laid out as Windows and pywinrm send them (EC 0, RRC 28, 60-byte header)', async () => {
    const { acceptor, initiator, built } = await establish();
    const wrapped = initiator.wrap(SOAP);
    expect(wrapped.header.length).toBe(60);
    expect(wrapped.header.readBigUInt64BE(8)).toBe(BigInt(built.seqNumber));
    expect(acceptor.unwrap(wrapped)).toEqual(SOAP);
    expect(acceptor.unwrap(initiator.wrap(Buffer.alloc(0)))).toEqual(Buffer.alloc(0));
    expect(acceptor.unwrap(initiator.wrap(Buffer.alloc(70_000, 0x41)))).toEqual(Buffer.alloc(70_000, 0x41));
  });

  it('unwraps any RRC and any header/data split (RFC 4121 gss_wrap output)', async () => {
    const { acceptor, initiator } = await establish();
    expect(acceptor.unwrap(initiator.wrap(SOAP, { rrc: 0, headerLength: 16 }))).toEqual(SOAP);
    const whole = initiator.wrap(SOAP, { rrc: 0 });
    expect(acceptor.unwrap({ header: Buffer.concat([whole.header, whole.data]), data: Buffer.alloc(0) })).toEqual(SOAP);
    expect(acceptor.unwrap(initiator.wrap(SOAP, { rrc: 1000 }))).toEqual(SOAP);
  });

  it('unwraps EC filler rotated by RRC + EC (Windows) or by RRC (RFC 4121)', async () => {
    const { acceptor, initiator } = await establish();
    expect(acceptor.unwrap(initiator.wrap(SOAP, { ec: 16, rotateBy: 'rrc+ec' }))).toEqual(SOAP);
    expect(acceptor.unwrap(initiator.wrap(SOAP, { ec: 16, rotateBy: 'rrc' }))).toEqual(SOAP);
    expect(acceptor.unwrap(initiator.wrap(SOAP, { ec: 5, rrc: 44, rotateBy: 'rrc' }))).toEqual(SOAP);
  });

  it('interleaves both directions with independent sequence numbers', async () => {
    const { acceptor, initiator } = await establish();
    for (let i = 0; i < 4; i++) {
      expect(acceptor.unwrap(initiator.wrap(Buffer.from(`request ${i}`)))).toEqual(Buffer.from(`request ${i}`));
      expect(initiator.unwrap(acceptor.wrap(Buffer.from(`response ${i}`)))).toEqual(Buffer.from(`response ${i}`));
    }
  });

  it('rejects replayed and reordered client tokens, tolerates a gap', async () => {
    const { acceptor, initiator } = await establish();
    const first = initiator.wrap(Buffer.from('one'));
    expect(acceptor.unwrap(first)).toEqual(Buffer.from('one'));
    expect(() => acceptor.unwrap(first)).toThrow(MessageSecurityError);
    const skipped = initiator.sendSeq;
    const later = initiator.wrap(Buffer.from('three'), { sequence: skipped + 1n });
    const earlier = initiator.wrap(Buffer.from('two'), { sequence: skipped });
    expect(acceptor.unwrap(later)).toEqual(Buffer.from('three'));
    expect(() => acceptor.unwrap(earlier)).toThrow(/replayed or out of order/);
  });

  it.each([
    ['a header byte (SND_SEQ)', 'header', 15],
    ['the EC field', 'header', 5],
    ['the rotated checksum', 'header', 40],
    ['the encrypted confounder', 'header', 50],
    ['the data', 'data', 3],
  ] as const)('rejects a token with a flipped bit in %s', async (_name, part, index) => {
    const { acceptor, initiator } = await establish();
    expect(() => acceptor.unwrap(flip(initiator.wrap(SOAP), part, index))).toThrow(MessageSecurityError);
  });

  it('rejects a changed RRC (the rotation no longer lines up)', async () => {
    const { acceptor, initiator } = await establish();
    const wrapped = initiator.wrap(SOAP);
    wrapped.header.writeUInt16BE(27, 6);
    expect(() => acceptor.unwrap(wrapped)).toThrow(MessageSecurityError);
  });

  it('rejects its own tokens reflected back, unsealed tokens, wrong TOK_ID and the wrong subkey flag', async () => {
    const { acceptor, initiator } = await establish();
    expect(() => acceptor.unwrap(acceptor.wrap(SOAP))).toThrow(/acceptor/);
    expect(() => acceptor.unwrap(initiator.wrap(SOAP, { flags: 0x04 }))).toThrow(/not sealed/);
    expect(() => acceptor.unwrap(initiator.wrap(SOAP, { flags: 0x02 }))).toThrow(MessageSecurityError);
    const mic = initiator.wrap(SOAP);
    mic.header.writeUInt16BE(0x0404, 0);
    expect(() => acceptor.unwrap(mic)).toThrow(/TOK_ID/);
    expect(() => acceptor.unwrap({ header: Buffer.alloc(10), data: Buffer.alloc(0) })).toThrow(/truncated/);
    expect(() => acceptor.unwrap({ header: Buffer.from('050406ff00000000', 'hex'), data: Buffer.alloc(8) })).toThrow(MessageSecurityError);
  });

  it('without an AP-REP, uses the initiator subkey and the initiator sequence in both directions', async () => {
    const svc = service();
    const built = buildApReq({ issued: issueTicket({ serviceKey: svc.key }), apOptions: 0, gssFlags: 0x38 });
    const acceptor = makeAcceptor(svc);
    expect((await acceptor.step(built.token)).kind).toBe('complete');
    if (built.subkey === undefined) throw new Error('test expects an initiator subkey');
    const initiator = new TestInitiator(built.subkey, false, built.seqNumber, built.seqNumber);
    expect(acceptor.unwrap(initiator.wrap(SOAP))).toEqual(SOAP);
    const wrapped = acceptor.wrap(SOAP);
    expect(wrapped.header[2]).toBe(0x03);
    expect(initiator.unwrap(wrapped)).toEqual(SOAP);
  });

  it('refuses message protection for RC4 sessions (RFC 4757 tokens are not implemented)', async () => {
    const { acceptor } = await establish(service(23));
    expect(() => acceptor.wrap(SOAP)).toThrow(/not supported/);
    expect(() => acceptor.unwrap({ header: Buffer.alloc(60), data: Buffer.alloc(4) })).toThrow(MessageSecurityError);
  });
});
