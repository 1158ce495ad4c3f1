import * as asn1js from 'asn1js';
import { TAG_CLASS } from './der-read.js';

/** `[n] EXPLICIT` around one element. */
export function explicit(tagNumber: number, inner: asn1js.BaseBlock): asn1js.Constructed {
  return new asn1js.Constructed({ idBlock: { tagClass: TAG_CLASS.context, tagNumber }, value: [inner] });
}

/**
 * `[APPLICATION n] SEQUENCE { [tag] component ... }`-style SEQUENCE: components in the given order
 * (ascending tags, as DER requires), undefined ones left out because they are OPTIONAL.
 */
export function taggedSequence(components: readonly (readonly [number, asn1js.BaseBlock | undefined])[]): asn1js.Sequence {
  const value: asn1js.BaseBlock[] = [];
  for (const [tag, block] of components) if (block !== undefined) value.push(explicit(tag, block));
  return new asn1js.Sequence({ value });
}

export function application(tagNumber: number, body: asn1js.BaseBlock): asn1js.Constructed {
  return new asn1js.Constructed({ idBlock: { tagClass: TAG_CLASS.application, tagNumber }, value: [body] });
}

export function derBytes(block: asn1js.BaseBlock): Buffer {
  return Buffer.from(block.toBER());
}

export function integer(value: number): asn1js.Integer {
  return new asn1js.Integer({ value });
}

export function octetString(bytes: Buffer): asn1js.OctetString {
  return new asn1js.OctetString({ valueHex: bytes });
}

export function kerberosString(text: string): asn1js.GeneralString {
  return new asn1js.GeneralString({ valueHex: Buffer.from(text, 'utf8') });
}

/** KerberosTime: whole seconds only; asn1js would otherwise append a fraction [RFC 4120 §5.2.3]. */
export function kerberosTime(date: Date): asn1js.GeneralizedTime {
  return new asn1js.GeneralizedTime({ valueDate: new Date(Math.floor(date.getTime() / 1000) * 1000) });
}

/** KerberosFlags as a 32-bit BIT STRING with no unused bits, flag 0 in the most significant bit. */
export function kerberosFlags(flags: number): asn1js.BitString {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(flags >>> 0, 0);
  return new asn1js.BitString({ valueHex: bytes, unusedBits: 0 });
}
