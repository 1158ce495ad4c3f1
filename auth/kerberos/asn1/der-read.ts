import * as asn1js from 'asn1js';
import { KerberosMessageError } from '../errors.js';

/** asn1js tag classes [X.690 §8.1.2.2]. */
export const TAG_CLASS = { universal: 1, application: 2, context: 3 } as const;

/**
 * An AP-REQ with a Windows PAC is a few KiB, rarely more than 12 KiB (MaxTokenSize is 48 KiB);
 * the limits keep a hostile token from costing more than that.
 */
const LIMITS = { maxDepth: 24, maxNodes: 4096, maxContentLength: 64 * 1024 } as const;

/**
 * Decodes one DER element that must span the whole buffer. asn1js reports most faults in
 * `error`, but some value decoders (GeneralizedTime) throw: both become KerberosMessageError.
 */
export function decodeDer(bytes: Buffer, what: string): asn1js.BaseBlock {
  let parsed: { offset: number; result: asn1js.BaseBlock };
  try {
    parsed = asn1js.fromBER(bytes, LIMITS);
  } catch {
    throw new KerberosMessageError(`${what}: undecodable ASN.1`);
  }
  if (parsed.offset !== bytes.length || parsed.result.error !== '') {
    throw new KerberosMessageError(`${what}: malformed or truncated ASN.1`);
  }
  return parsed.result;
}

/** The SEQUENCE inside `[APPLICATION n] SEQUENCE {...}` [RFC 4120 §5]. */
export function applicationBody(block: asn1js.BaseBlock, tagNumber: number, what: string): asn1js.BaseBlock {
  if (block.idBlock.tagClass !== TAG_CLASS.application || block.idBlock.tagNumber !== tagNumber) {
    throw new KerberosMessageError(`${what}: expected [APPLICATION ${tagNumber}]`);
  }
  return onlyChild(block, what);
}

/** The single element an EXPLICIT tag wraps. */
function onlyChild(block: asn1js.BaseBlock, what: string): asn1js.BaseBlock {
  const children = constructedChildren(block, what);
  const only = children[0];
  if (only === undefined || children.length !== 1) throw new KerberosMessageError(`${what}: must wrap exactly one element`);
  return only;
}

function constructedChildren(block: asn1js.BaseBlock, what: string): asn1js.BaseBlock[] {
  if (!(block instanceof asn1js.Constructed) || !block.idBlock.isConstructed) {
    throw new KerberosMessageError(`${what}: not constructed`);
  }
  return block.valueBlock.value;
}

/** Fields of a SEQUENCE of `[n] EXPLICIT` components, by tag. Unknown tags are kept and ignored by callers. */
export class Fields {
  private constructor(
    private readonly byTag: ReadonlyMap<number, asn1js.BaseBlock>,
    private readonly what: string,
  ) {}

  static of(sequence: asn1js.BaseBlock, what: string): Fields {
    if (!(sequence instanceof asn1js.Sequence)) throw new KerberosMessageError(`${what}: not a SEQUENCE`);
    const byTag = new Map<number, asn1js.BaseBlock>();
    for (const child of sequence.valueBlock.value) {
      if (child.idBlock.tagClass !== TAG_CLASS.context) throw new KerberosMessageError(`${what}: untagged component`);
      const tag = child.idBlock.tagNumber;
      if (byTag.has(tag)) throw new KerberosMessageError(`${what}: component [${tag}] repeated`);
      byTag.set(tag, onlyChild(child, `${what} [${tag}]`));
    }
    return new Fields(byTag, what);
  }

  required<T>(tag: number, read: (block: asn1js.BaseBlock, what: string) => T): T {
    const block = this.byTag.get(tag);
    if (block === undefined) throw new KerberosMessageError(`${this.what}: component [${tag}] missing`);
    return read(block, `${this.what} [${tag}]`);
  }

  optional<T>(tag: number, read: (block: asn1js.BaseBlock, what: string) => T): T | undefined {
    const block = this.byTag.get(tag);
    return block === undefined ? undefined : read(block, `${this.what} [${tag}]`);
  }
}

/** The components of a SEQUENCE OF. */
export function sequenceOf(block: asn1js.BaseBlock, what: string): asn1js.BaseBlock[] {
  if (!(block instanceof asn1js.Sequence)) throw new KerberosMessageError(`${what}: not a SEQUENCE OF`);
  return block.valueBlock.value;
}

/** An INTEGER as a two's-complement value; at most 8 content bytes (Kerberos integers are 32-bit). */
function integerValue(block: asn1js.BaseBlock, what: string): number {
  if (!(block instanceof asn1js.Integer) || block.idBlock.isConstructed) throw new KerberosMessageError(`${what}: not an INTEGER`);
  const bytes = block.valueBlock.valueHexView;
  if (bytes.length === 0 || bytes.length > 5) throw new KerberosMessageError(`${what}: INTEGER out of range`);
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  const first = bytes[0] ?? 0;
  if (first & 0x80) value -= 1n << BigInt(8 * bytes.length);
  return Number(value);
}

/** Int32 [RFC 4120 §5.2.4]: etypes, name types, message types. */
export function readInt32(block: asn1js.BaseBlock, what: string): number {
  const value = integerValue(block, what);
  if (value < -0x80000000 || value > 0x7fffffff) throw new KerberosMessageError(`${what}: not an Int32`);
  return value;
}

/**
 * UInt32 [RFC 4120 §5.2.4] (kvno, seq-number). Negative encodings are taken modulo 2^32, as MIT
 * krb5 does, because some older implementations encode sequence numbers as signed.
 */
export function readUInt32(block: asn1js.BaseBlock, what: string): number {
  const value = integerValue(block, what);
  if (value < -0x80000000 || value > 0xffffffff) throw new KerberosMessageError(`${what}: not a UInt32`);
  return value < 0 ? value + 0x1_0000_0000 : value;
}

/** Microseconds [RFC 4120 §5.2.4]: 0..999999. */
export function readMicroseconds(block: asn1js.BaseBlock, what: string): number {
  const value = integerValue(block, what);
  if (value < 0 || value > 999_999) throw new KerberosMessageError(`${what}: not Microseconds`);
  return value;
}

export function readOctetString(block: asn1js.BaseBlock, what: string): Buffer {
  // DER forbids the constructed form; asn1js would accept it and leave the value in pieces.
  if (!(block instanceof asn1js.OctetString) || block.idBlock.isConstructed) throw new KerberosMessageError(`${what}: not an OCTET STRING`);
  return Buffer.from(block.valueBlock.valueHexView);
}

/** KerberosString ::= GeneralString (IA5 in practice, UTF-8 from Windows) [RFC 4120 §5.2.1]. */
export function readKerberosString(block: asn1js.BaseBlock, what: string): string {
  if (!(block instanceof asn1js.GeneralString) || block.idBlock.isConstructed) throw new KerberosMessageError(`${what}: not a GeneralString`);
  return Buffer.from(block.valueBlock.valueHexView).toString('utf8');
}

const KERBEROS_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** KerberosTime ::= GeneralizedTime 'YYYYMMDDHHMMSSZ', UTC, no fraction [RFC 4120 §5.2.3]. */
export function readKerberosTime(block: asn1js.BaseBlock, what: string): Date {
  if (!(block instanceof asn1js.GeneralizedTime) || block.idBlock.isConstructed) throw new KerberosMessageError(`${what}: not a GeneralizedTime`);
  const text = Buffer.from(block.valueBlock.valueHexView).toString('latin1');
  const match = KERBEROS_TIME.exec(text);
  if (match === null) throw new KerberosMessageError(`${what}: not a KerberosTime`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined || second === undefined) {
    throw new KerberosMessageError(`${what}: not a KerberosTime`);
  }
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 31 Feb over to March; a round trip catches impossible dates.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new KerberosMessageError(`${what}: impossible KerberosTime`);
  }
  return date;
}

/**
 * KerberosFlags ::= BIT STRING (SIZE (32..MAX)) [RFC 4120 §5.2.8] as a uint32 whose most
 * significant bit is flag 0. Shorter strings are zero-extended (MIT accepts them); bits past 31
 * are ignored, as no flag is defined there.
 */
export function readKerberosFlags(block: asn1js.BaseBlock, what: string): number {
  if (!(block instanceof asn1js.BitString) || block.idBlock.isConstructed) throw new KerberosMessageError(`${what}: not a BIT STRING`);
  const bytes = Buffer.alloc(4);
  Buffer.from(block.valueBlock.valueHexView).copy(bytes, 0, 0, 4);
  return bytes.readUInt32BE(0);
}
