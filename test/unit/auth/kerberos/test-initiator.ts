/**
 * Test-only initiator side of an established context: reads the AP-REP, then makes and checks
 * Wrap and MIC tokens [RFC 4121 §4.2.6] the way a client does, written independently of
 * auth/kerberos/wrap-token.ts so each side checks the other.
 */
import { parseApRep, parseEncApRepPart } from '../../../../auth/kerberos/asn1/index.js';
import { parseGssKrb5Token } from '../../../../auth/kerberos/gss-token.js';
import type { WrappedMessage } from '../../../../auth/security-context.js';
import { type BuiltApReq, type IssuedTicket, type TestKey, enctype } from './test-kdc.js';

export interface WrapOptions {
  readonly rrc?: number | undefined;
  readonly ec?: number | undefined;
  /** Windows rotates AES tokens by RRC + EC [MS-KILE 3.4.5.4.1]; RFC 4121 by RRC. */
  readonly rotateBy?: 'rrc' | 'rrc+ec' | undefined;
  /** Bytes of the token in the header part; default all but the last plaintext.length bytes. */
  readonly headerLength?: number | undefined;
  readonly sequence?: bigint | undefined;
  readonly flags?: number | undefined;
}

function rotateRight(data: Buffer, count: number): Buffer {
  const shift = count % data.length;
  return Buffer.concat([data.subarray(data.length - shift), data.subarray(0, data.length - shift)]);
}

function header(tokId: number, flags: number, middle: Buffer, seq: bigint): Buffer {
  const out = Buffer.alloc(16);
  out.writeUInt16BE(tokId, 0);
  out[2] = flags;
  middle.copy(out, 3);
  out.writeBigUInt64BE(seq, 8);
  return out;
}

export class TestInitiator {
  sendSeq: bigint;
  receiveSeq: bigint;

  constructor(
    readonly key: TestKey,
    readonly acceptorSubkey: boolean,
    sendSeq: number,
    receiveSeq: number,
  ) {
    this.sendSeq = BigInt(sendSeq);
    this.receiveSeq = BigInt(receiveSeq);
  }

  /** GSS_Init_sec_context's second call: decrypt EncAPRepPart with the session key (usage 12). */
  static fromApRep(token: Buffer, built: BuiltApReq, issued: IssuedTicket): TestInitiator {
    const gss = parseGssKrb5Token(token);
    if (gss.tokId !== 0x0200) throw new Error('not an AP-REP token');
    const apRep = parseApRep(gss.message);
    const part = parseEncApRepPart(enctype(issued.sessionKey.etype).decrypt(issued.sessionKey.key, 12, apRep.encPart.cipher));
    if (part.ctime.getTime() !== Math.floor(built.ctime.getTime() / 1000) * 1000 || part.cusec !== built.cusec) {
      throw new Error('AP-REP does not echo ctime/cusec');
    }
    if (part.subkey === undefined || part.seqNumber === undefined) throw new Error('AP-REP lacks subkey or seq-number');
    return new TestInitiator({ etype: part.subkey.keytype, key: part.subkey.keyvalue }, true, built.seqNumber, part.seqNumber);
  }

  get #flags(): number {
    return this.acceptorSubkey ? 0x04 : 0;
  }

  wrap(plaintext: Buffer, options: WrapOptions = {}): WrappedMessage {
    const ec = options.ec ?? 0;
    const rrc = options.rrc ?? 16 + enctype(this.key.etype).checksumLength;
    const seq = options.sequence ?? this.sendSeq;
    this.sendSeq = seq + 1n;
    const flags = options.flags ?? 0x02 | this.#flags;
    const ecRrc = (rrcValue: number): Buffer => Buffer.from([0xff, ec >> 8, ec & 0xff, rrcValue >> 8, rrcValue & 0xff]);
    const inner = header(0x0504, flags, ecRrc(0), seq);
    const encrypted = enctype(this.key.etype).encrypt(this.key.key, 24, Buffer.concat([plaintext, Buffer.alloc(ec, 0xff), inner]));
    const rotation = options.rotateBy === 'rrc+ec' ? rrc + ec : rrc;
    const token = Buffer.concat([header(0x0504, flags, ecRrc(rrc), seq), rotateRight(encrypted, rotation)]);
    const split = options.headerLength ?? token.length - plaintext.length;
    return { header: token.subarray(0, split), data: token.subarray(split) };
  }

  /** Opens a server token the way MIT's unwrap does, with strict sequence checking. */
  unwrap(message: WrappedMessage): Buffer {
    const token = Buffer.concat([message.header, message.data]);
    if (token.readUInt16BE(0) !== 0x0504 || token[3] !== 0xff) throw new Error('not a wrap token');
    const flags = token[2] ?? 0;
    if (flags !== (0x01 | 0x02 | this.#flags)) throw new Error(`unexpected flags ${flags}`);
    const ec = token.readUInt16BE(4);
    const rrc = token.readUInt16BE(6);
    const seq = token.readBigUInt64BE(8);
    if (seq !== this.receiveSeq) throw new Error(`sequence ${seq}, expected ${this.receiveSeq}`);
    this.receiveSeq += 1n;
    const rotated = token.subarray(16);
    const encrypted = rotateRight(rotated, rotated.length - (rrc % rotated.length));
    const plain = enctype(this.key.etype).decrypt(this.key.key, 22, encrypted);
    const copy = plain.subarray(plain.length - 16);
    const expected = Buffer.from(token.subarray(0, 16));
    expected.writeUInt16BE(0, 6);
    if (!copy.equals(expected)) throw new Error('header copy differs');
    return plain.subarray(0, plain.length - 16 - ec);
  }

  sign(data: Buffer, sequence?: bigint): Buffer {
    const seq = sequence ?? this.sendSeq;
    this.sendSeq = seq + 1n;
    const head = header(0x0404, this.#flags, Buffer.alloc(5, 0xff), seq);
    return Buffer.concat([head, enctype(this.key.etype).checksum(this.key.key, 25, Buffer.concat([data, head]))]);
  }

  verify(data: Buffer, mic: Buffer): void {
    const head = mic.subarray(0, 16);
    if (head.readUInt16BE(0) !== 0x0404 || head[2] !== (0x01 | this.#flags)) throw new Error('not an acceptor MIC token');
    if (head.readBigUInt64BE(8) !== this.receiveSeq) throw new Error('MIC sequence mismatch');
    this.receiveSeq += 1n;
    const expected = enctype(this.key.etype).checksum(this.key.key, 23, Buffer.concat([data, head]));
    if (!expected.equals(mic.subarray(16))) throw new Error('MIC does not verify');
  }
}
