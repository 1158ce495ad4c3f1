import * as asn1js from 'asn1js';
import {
  SpnegoTokenError,
  TAG_CLASS,
  childrenOf,
  decodeWhole,
  encodedBytes,
  explicitInner,
  hasTag,
  readOctets,
  readOid,
  taggedFields,
} from './asn1-read.js';
import { OID } from './oids.js';

export { SpnegoTokenError } from './asn1-read.js';

/** NegTokenResp negState [RFC 4178 §4.2.2]. */
export const NegState = { acceptCompleted: 0, acceptIncomplete: 1, reject: 2, requestMic: 3 } as const;
export type NegState = (typeof NegState)[keyof typeof NegState];

/**
 * The initiator's first token [RFC 4178 §4.2.1], as carried in a GSS InitialContextToken
 * `60 .. 06 06 2B0601050502 A0 ..` [RFC 2743 §3.1].
 */
export interface NegTokenInit {
  readonly kind: 'init';
  /** Dotted OIDs in the initiator's order of preference. */
  readonly mechTypes: readonly string[];
  /** The MechTypeList (`30 ..`) exactly as received: the mechListMIC covers these bytes [RFC 4178 §5]. */
  readonly mechTypesDer: Buffer;
  /** ContextFlags bits as sent (MS-SPNG says clients should omit them; nothing here uses them). */
  readonly reqFlags: Buffer | undefined;
  /** The optimistic token for mechTypes[0]. */
  readonly mechToken: Buffer | undefined;
  readonly mechListMIC: Buffer | undefined;
}

/** Every token after the first, in both directions [RFC 4178 §4.2.2]; all fields optional. */
export interface NegTokenResp {
  readonly kind: 'resp';
  readonly negState: NegState | undefined;
  readonly supportedMech: string | undefined;
  readonly responseToken: Buffer | undefined;
  readonly mechListMIC: Buffer | undefined;
}

export type NegotiationToken = NegTokenInit | NegTokenResp;

export interface NegTokenRespFields {
  readonly negState?: NegState | undefined;
  readonly supportedMech?: string | undefined;
  readonly responseToken?: Buffer | undefined;
  readonly mechListMIC?: Buffer | undefined;
}

const SPNEGO_OID_DER = Buffer.from('06062b0601050502', 'hex');

/** Cheap check for the Authorization dispatch of notes §1.6: SPNEGO InitialContextToken or NegTokenResp. */
export function looksLikeSpnego(token: Buffer): boolean {
  if (token[0] === 0xa1) return true;
  const lengthByte = token[1];
  if (token[0] !== 0x60 || lengthByte === undefined) return false;
  const oidAt = lengthByte < 0x80 ? 2 : 2 + (lengthByte & 0x7f);
  return token.subarray(oidAt, oidAt + SPNEGO_OID_DER.length).equals(SPNEGO_OID_DER);
}

/** Parses either token kind by its outer tag. Throws SpnegoTokenError and nothing else. */
export function parseNegotiationToken(token: Buffer): NegotiationToken {
  return guarded(() => {
    const top = decodeWhole(token);
    if (hasTag(top, TAG_CLASS.context, 1)) return respFrom(top);
    return initFrom(top);
  });
}

/** Parses the GSS-framed NegTokenInit (or, leniently, a bare `A0 ..` one). */
export function parseNegTokenInit(token: Buffer): NegTokenInit {
  return guarded(() => initFrom(decodeWhole(token)));
}

/** Parses a bare NegTokenResp `A1 ..`. */
export function parseNegTokenResp(token: Buffer): NegTokenResp {
  return guarded(() => respFrom(decodeWhole(token)));
}

/** DER-encodes `A1 { 30 { [0] negState, [1] supportedMech, [2] responseToken, [3] mechListMIC } }`. */
export function buildNegTokenResp(fields: NegTokenRespFields): Buffer {
  const tagged = (tag: number, inner: asn1js.BaseBlock): asn1js.Constructed =>
    new asn1js.Constructed({ idBlock: { tagClass: TAG_CLASS.context, tagNumber: tag }, value: [inner] });
  const value: asn1js.BaseBlock[] = [];
  if (fields.negState !== undefined) value.push(tagged(0, new asn1js.Enumerated({ value: fields.negState })));
  if (fields.supportedMech !== undefined) value.push(tagged(1, new asn1js.ObjectIdentifier({ value: fields.supportedMech })));
  if (fields.responseToken !== undefined) value.push(tagged(2, new asn1js.OctetString({ valueHex: fields.responseToken })));
  if (fields.mechListMIC !== undefined) value.push(tagged(3, new asn1js.OctetString({ valueHex: fields.mechListMIC })));
  return Buffer.from(tagged(1, new asn1js.Sequence({ value })).toBER());
}

function initFrom(top: asn1js.BaseBlock): NegTokenInit {
  let negTokenInit = top;
  if (hasTag(top, TAG_CLASS.application, 0)) {
    const [thisMech, inner, ...extra] = childrenOf(top, 'InitialContextToken');
    if (thisMech === undefined || inner === undefined || extra.length > 0) {
      throw new SpnegoTokenError('InitialContextToken must hold thisMech and one inner token');
    }
    if (readOid(thisMech, 'thisMech') !== OID.spnego) throw new SpnegoTokenError('InitialContextToken is not SPNEGO');
    negTokenInit = inner;
  }
  if (!hasTag(negTokenInit, TAG_CLASS.context, 0)) throw new SpnegoTokenError('not a NegTokenInit');
  const fields = taggedFields(explicitInner(negTokenInit, 'NegTokenInit'), 'NegTokenInit');

  const mechList = fields.get(0);
  if (mechList === undefined) throw new SpnegoTokenError('NegTokenInit without mechTypes');
  if (!(mechList instanceof asn1js.Sequence)) throw new SpnegoTokenError('mechTypes is not a SEQUENCE');
  const mechTypes = mechList.valueBlock.value.map((oid) => readOid(oid, 'mechType'));

  const flags = fields.get(1);
  if (flags !== undefined && !(flags instanceof asn1js.BitString)) throw new SpnegoTokenError('reqFlags is not a BIT STRING');
  const mechToken = fields.get(2);
  // [3] is mechListMIC in NegTokenInit but negHints (a SEQUENCE) in MS-SPNG's NegTokenInit2, whose MIC is [4].
  const third = fields.get(3);
  const mic = third !== undefined && !(third instanceof asn1js.Sequence) ? third : fields.get(4);
  return {
    kind: 'init',
    mechTypes,
    mechTypesDer: encodedBytes(mechList),
    reqFlags: flags === undefined ? undefined : Buffer.from(flags.valueBlock.valueHexView),
    mechToken: mechToken === undefined ? undefined : readOctets(mechToken, 'mechToken'),
    mechListMIC: mic === undefined ? undefined : readOctets(mic, 'mechListMIC'),
  };
}

function respFrom(top: asn1js.BaseBlock): NegTokenResp {
  if (!hasTag(top, TAG_CLASS.context, 1)) throw new SpnegoTokenError('not a NegTokenResp');
  const fields = taggedFields(explicitInner(top, 'NegTokenResp'), 'NegTokenResp');
  const state = fields.get(0);
  const mech = fields.get(1);
  const token = fields.get(2);
  const mic = fields.get(3);
  return {
    kind: 'resp',
    negState: state === undefined ? undefined : readNegState(state),
    supportedMech: mech === undefined ? undefined : readOid(mech, 'supportedMech'),
    responseToken: token === undefined ? undefined : readOctets(token, 'responseToken'),
    mechListMIC: mic === undefined ? undefined : readOctets(mic, 'mechListMIC'),
  };
}

function readNegState(block: asn1js.BaseBlock): NegState {
  if (!(block instanceof asn1js.Enumerated)) throw new SpnegoTokenError('negState is not ENUMERATED');
  const value = block.valueBlock.valueDec;
  for (const state of Object.values(NegState)) if (state === value) return state;
  throw new SpnegoTokenError(`unknown negState ${value}`);
}

/** asn1js is defensive but not promised never to throw on hostile input; keep the one-error contract. */
function guarded<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof SpnegoTokenError) throw error;
    throw new SpnegoTokenError('malformed SPNEGO token');
  }
}
