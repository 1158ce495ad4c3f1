import { describe, expect, it } from 'vitest';
import {
  parseApRep,
  parseApReq,
  parseAuthenticator,
  parseEncApRepPart,
  parseEncTicketPart,
  parseTicket,
} from '../../../../auth/kerberos/asn1/index.js';
import { parseGssChecksum } from '../../../../auth/kerberos/authenticator-checksum.js';
import { KerberosMessageError } from '../../../../auth/kerberos/errors.js';
import { parseGssKrb5Token } from '../../../../auth/kerberos/gss-token.js';
import { MessageSecurityError } from '../../../../auth/security-context.js';
import { prng } from '../../../support/prng.js';
import { establish, makeAcceptor, service } from './harness.js';
import {
  MIT_AP_REP,
  MIT_AP_REP_ENC_PART,
  MIT_AP_REQ,
  MIT_AUTHENTICATOR,
  MIT_ENC_TKT_PART,
  MIT_TICKET,
} from './mit-vectors.js';
import { buildApReq, issueTicket } from './test-kdc.js';

type Random = ReturnType<typeof prng>;

/** One random edit: flip a bit, set a byte, truncate, insert, duplicate a slice or set a length byte to 0x8N. */
function mutate(input: Buffer, random: Random): Buffer {
  const bytes = Buffer.from(input);
  const at = random.int(Math.max(1, bytes.length));
  switch (random.int(6)) {
    case 0:
      bytes[at] = (bytes[at] ?? 0) ^ (1 << random.int(8));
      return bytes;
    case 1:
      bytes[at] = random.int(256);
      return bytes;
    case 2:
      return bytes.subarray(0, at);
    case 3:
      return Buffer.concat([bytes.subarray(0, at), random.bytes(1 + random.int(4)), bytes.subarray(at)]);
    case 4:
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + 1 + random.int(16)), bytes.subarray(at)]);
    default:
      bytes[at] = 0x80 | random.int(6);
      return bytes;
  }
}

function onlyThrows(errorClass: new (message: string) => Error, run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof errorClass)) throw error;
  }
}

const PARSERS: readonly (readonly [string, (bytes: Buffer) => unknown, Buffer])[] = [
  ['AP-REQ', parseApReq, MIT_AP_REQ],
  ['Ticket', parseTicket, MIT_TICKET],
  ['EncTicketPart', parseEncTicketPart, MIT_ENC_TKT_PART],
  ['Authenticator', parseAuthenticator, MIT_AUTHENTICATOR],
  ['AP-REP', parseApRep, MIT_AP_REP],
  ['EncAPRepPart', parseEncApRepPart, MIT_AP_REP_ENC_PART],
  ['GSS token', parseGssKrb5Token, Buffer.from('601006092a864886f71201020201006e00', 'hex')],
  ['0x8003 checksum', parseGssChecksum, Buffer.from(`10000000${'00'.repeat(16)}3f00000001000300aabbcc`, 'hex')],
];

describe('Kerberos parsers under fuzzing: KerberosMessageError or a value, nothing else', () => {
  it.each(PARSERS)('%s: random bytes', (_name, parse) => {
    const random = prng(0x6b726235);
    for (let i = 0; i < 2000; i++) onlyThrows(KerberosMessageError, () => parse(random.bytes(random.int(300))));
  });

  it.each(PARSERS)('%s: mutations of a valid encoding', (_name, parse, valid) => {
    const random = prng(0x41505245);
    for (let i = 0; i < 3000; i++) {
      let bytes = valid;
      for (let edits = 1 + random.int(3); edits > 0; edits--) bytes = mutate(bytes, random);
      onlyThrows(KerberosMessageError, () => parse(bytes));
    }
  });

  it('random bytes behind a valid tag and length prefix reach the inner decoders', () => {
    const random = prng(7);
    for (let i = 0; i < 500; i++) {
      const body = random.bytes(random.int(120));
      for (const tag of [0x61, 0x62, 0x63, 0x6e, 0x6f, 0x7b]) {
        const bytes = Buffer.concat([Buffer.from([tag, 0x81, body.length]), body]);
        for (const [, parse] of PARSERS) onlyThrows(KerberosMessageError, () => parse(bytes));
      }
    }
  });
});

describe('KerberosAcceptor under fuzzing', () => {
  it('never throws from step on mutated AP-REQ tokens', async () => {
    const svc = service();
    const valid = buildApReq({ issued: issueTicket({ serviceKey: svc.key }) }).token;
    const random = prng(0x5354_4550);
    const outcomes = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const result = await makeAcceptor(svc).step(mutate(valid, random));
      outcomes.add(result.kind);
    }
    expect(outcomes.has('failed')).toBe(true);
    expect([...outcomes].every((kind) => kind === 'failed' || kind === 'complete')).toBe(true);
  });

  it('unwrap throws only MessageSecurityError on mutated wrap tokens', async () => {
    const { acceptor, initiator } = await establish();
    const random = prng(0x57524150);
    for (let i = 0; i < 500; i++) {
      const wrapped = initiator.wrap(Buffer.from(`message ${i}`));
      const token = mutate(Buffer.concat([wrapped.header, wrapped.data]), random);
      const split = random.int(token.length + 1);
      onlyThrows(MessageSecurityError, () => acceptor.unwrap({ header: token.subarray(0, split), data: token.subarray(split) }));
      onlyThrows(MessageSecurityError, () => acceptor.verifyMic(token, token.subarray(0, 28)));
    }
  });
});
