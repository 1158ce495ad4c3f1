/**
 * Builds client-side SPNEGO tokens with asn1js directly, independently of auth/spnego's own
 * encoder, following RFC 4178 §4.2 and RFC 2743 §3.1.
 */
import * as asn1js from 'asn1js';

export const OIDS = {
  spnego: '1.3.6.1.5.5.2',
  ntlm: '1.3.6.1.4.1.311.2.2.10',
  kerberos: '1.2.840.113554.1.2.2',
  msKerberos: '1.2.840.48018.1.2.2',
  negoex: '1.3.6.1.4.1.311.2.2.30',
} as const;

function tagged(tagClass: number, tagNumber: number, inner: asn1js.BaseBlock[]): asn1js.Constructed {
  return new asn1js.Constructed({ idBlock: { tagClass, tagNumber }, value: inner });
}

function ctx(tagNumber: number, inner: asn1js.BaseBlock): asn1js.Constructed {
  return tagged(3, tagNumber, [inner]);
}

function octets(bytes: Buffer): asn1js.OctetString {
  return new asn1js.OctetString({ valueHex: bytes });
}

export function mechTypeList(oids: readonly string[]): asn1js.Sequence {
  return new asn1js.Sequence({ value: oids.map((oid) => new asn1js.ObjectIdentifier({ value: oid })) });
}

export interface InitFields {
  readonly mechTypes: readonly string[];
  readonly reqFlags?: Buffer;
  readonly mechToken?: Buffer;
  readonly mechListMIC?: Buffer;
}

/** `60 .. 06 06 2B0601050502 A0 30 { [0] mechTypes [1] reqFlags [2] mechToken [3] mechListMIC }`. */
export function negTokenInit(fields: InitFields, options: { framed?: boolean; thisMech?: string } = {}): Buffer {
  const value: asn1js.BaseBlock[] = [ctx(0, mechTypeList(fields.mechTypes))];
  if (fields.reqFlags !== undefined) value.push(ctx(1, new asn1js.BitString({ valueHex: fields.reqFlags, unusedBits: 1 })));
  if (fields.mechToken !== undefined) value.push(ctx(2, octets(fields.mechToken)));
  if (fields.mechListMIC !== undefined) value.push(ctx(3, octets(fields.mechListMIC)));
  const init = ctx(0, new asn1js.Sequence({ value }));
  if (options.framed === false) return Buffer.from(init.toBER());
  const thisMech = new asn1js.ObjectIdentifier({ value: options.thisMech ?? OIDS.spnego });
  return Buffer.from(tagged(2, 0, [thisMech, init]).toBER());
}

export interface RespFields {
  readonly negState?: number;
  readonly supportedMech?: string;
  readonly responseToken?: Buffer;
  readonly mechListMIC?: Buffer;
}

/** `A1 30 { [0] negState [1] supportedMech [2] responseToken [3] mechListMIC }`. */
export function negTokenResp(fields: RespFields): Buffer {
  const value: asn1js.BaseBlock[] = [];
  if (fields.negState !== undefined) value.push(ctx(0, new asn1js.Enumerated({ value: fields.negState })));
  if (fields.supportedMech !== undefined) value.push(ctx(1, new asn1js.ObjectIdentifier({ value: fields.supportedMech })));
  if (fields.responseToken !== undefined) value.push(ctx(2, octets(fields.responseToken)));
  if (fields.mechListMIC !== undefined) value.push(ctx(3, octets(fields.mechListMIC)));
  return Buffer.from(ctx(1, new asn1js.Sequence({ value })).toBER());
}

/** Arbitrary context-tagged fields, for malformed-token tests. */
export function rawResp(fields: readonly [number, asn1js.BaseBlock][]): Buffer {
  return Buffer.from(ctx(1, new asn1js.Sequence({ value: fields.map(([tag, inner]) => ctx(tag, inner)) })).toBER());
}

export function der(block: asn1js.BaseBlock): Buffer {
  return Buffer.from(block.toBER());
}
