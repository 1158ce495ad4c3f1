import * as asn1js from 'asn1js';

/** A SPNEGO token that does not decode. The only error the token parsers throw. */
export class SpnegoTokenError extends Error {
  override readonly name = 'SpnegoTokenError';
}

/** asn1js tag classes [X.690 §8.1.2.2]. */
export const TAG_CLASS = { universal: 1, application: 2, context: 3 } as const;

/** SPNEGO tokens are a few KiB (a Kerberos AP-REQ with a PAC is the largest); keep the parser on a short leash. */
const LIMITS = { maxDepth: 16, maxNodes: 1024, maxContentLength: 256 * 1024 } as const;

/** Decodes one BER element that must span the whole buffer (no trailing bytes). */
export function decodeWhole(bytes: Buffer): asn1js.BaseBlock {
  let parsed: { offset: number; result: asn1js.BaseBlock };
  try {
    parsed = asn1js.fromBER(bytes, LIMITS);
  } catch {
    throw new SpnegoTokenError('undecodable ASN.1');
  }
  if (parsed.offset !== bytes.length || parsed.result.error !== '') {
    throw new SpnegoTokenError('malformed or truncated ASN.1');
  }
  return parsed.result;
}

export function hasTag(block: asn1js.BaseBlock, tagClass: number, tagNumber: number): boolean {
  return block.idBlock.tagClass === tagClass && block.idBlock.tagNumber === tagNumber;
}

/** The elements inside a constructed block (SEQUENCE, [n] EXPLICIT, [APPLICATION n]). */
export function childrenOf(block: asn1js.BaseBlock, what: string): asn1js.BaseBlock[] {
  if (!(block instanceof asn1js.Constructed)) throw new SpnegoTokenError(`${what} is not constructed`);
  return block.valueBlock.value;
}

/** The single element an EXPLICIT context tag wraps. */
export function explicitInner(block: asn1js.BaseBlock, what: string): asn1js.BaseBlock {
  const children = childrenOf(block, what);
  const only = children[0];
  if (only === undefined || children.length !== 1) throw new SpnegoTokenError(`${what} must wrap exactly one element`);
  return only;
}

/**
 * The fields of a SEQUENCE of EXPLICIT context-tagged optional fields, by tag number. Unknown tags
 * are kept (the ASN.1 has an extension marker); a repeated tag is an error.
 */
export function taggedFields(sequence: asn1js.BaseBlock, what: string): Map<number, asn1js.BaseBlock> {
  if (!(sequence instanceof asn1js.Sequence)) throw new SpnegoTokenError(`${what} is not a SEQUENCE`);
  const fields = new Map<number, asn1js.BaseBlock>();
  for (const child of sequence.valueBlock.value) {
    if (child.idBlock.tagClass !== TAG_CLASS.context) throw new SpnegoTokenError(`${what} has an untagged field`);
    const tag = child.idBlock.tagNumber;
    if (fields.has(tag)) throw new SpnegoTokenError(`${what} repeats field [${tag}]`);
    fields.set(tag, explicitInner(child, `${what} field [${tag}]`));
  }
  return fields;
}

export function readOid(block: asn1js.BaseBlock, what: string): string {
  if (!(block instanceof asn1js.ObjectIdentifier)) throw new SpnegoTokenError(`${what} is not an OBJECT IDENTIFIER`);
  const value = block.getValue();
  if (!/^\d+(\.\d+)+$/.test(value)) throw new SpnegoTokenError(`${what} is a malformed OBJECT IDENTIFIER`);
  return value;
}

export function readOctets(block: asn1js.BaseBlock, what: string): Buffer {
  if (!(block instanceof asn1js.OctetString)) throw new SpnegoTokenError(`${what} is not an OCTET STRING`);
  return Buffer.from(block.getValue());
}

/** The exact encoded bytes of a decoded element, tag and length included. */
export function encodedBytes(block: asn1js.BaseBlock): Buffer {
  return Buffer.from(block.valueBeforeDecodeView);
}
