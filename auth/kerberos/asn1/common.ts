import * as asn1js from 'asn1js';
import { KerberosMessageError } from '../errors.js';
import { Fields, readInt32, readKerberosString, readOctetString, readUInt32, sequenceOf } from './der-read.js';
import { integer, kerberosString, octetString, taggedSequence } from './der-write.js';

/** PrincipalName ::= SEQUENCE { name-type [0] Int32, name-string [1] SEQUENCE OF KerberosString } [RFC 4120 §5.2.2]. */
export interface PrincipalName {
  readonly nameType: number;
  readonly nameString: readonly string[];
}

/** Name types [RFC 4120 §6.2]. */
export const NameType = { principal: 1, srvInst: 2, srvHst: 3, enterprise: 10 } as const;

/** EncryptedData ::= SEQUENCE { etype [0] Int32, kvno [1] UInt32 OPTIONAL, cipher [2] OCTET STRING } [RFC 4120 §5.2.9]. */
export interface EncryptedData {
  readonly etype: number;
  readonly kvno?: number | undefined;
  readonly cipher: Buffer;
}

/** EncryptionKey ::= SEQUENCE { keytype [0] Int32, keyvalue [1] OCTET STRING } [RFC 4120 §5.2.9]. */
export interface EncryptionKey {
  readonly keytype: number;
  readonly keyvalue: Buffer;
}

/** Checksum ::= SEQUENCE { cksumtype [0] Int32, checksum [1] OCTET STRING } [RFC 4120 §5.2.9]. */
export interface Checksum {
  readonly cksumtype: number;
  readonly checksum: Buffer;
}

/** One AuthorizationData element: { ad-type [0] Int32, ad-data [1] OCTET STRING } [RFC 4120 §5.2.6]. */
export interface AuthorizationDataEntry {
  readonly adType: number;
  readonly adData: Buffer;
}

/** HostAddress ::= SEQUENCE { addr-type [0] Int32, address [1] OCTET STRING } [RFC 4120 §5.2.5]. */
export interface HostAddress {
  readonly addrType: number;
  readonly address: Buffer;
}

/** TransitedEncoding ::= SEQUENCE { tr-type [0] Int32, contents [1] OCTET STRING } [RFC 4120 §5.3]. */
export interface TransitedEncoding {
  readonly trType: number;
  readonly contents: Buffer;
}

/**
 * Names are capped so that a hostile token cannot make the acceptor build huge strings; real
 * principals have one to three components.
 */
const MAX_NAME_COMPONENTS = 16;

export function readPrincipalName(block: asn1js.BaseBlock, what: string): PrincipalName {
  const fields = Fields.of(block, what);
  const nameType = fields.required(0, readInt32);
  const nameString = fields.required(1, (list, listWhat) => sequenceOf(list, listWhat).map((part) => readKerberosString(part, listWhat)));
  if (nameString.length === 0 || nameString.length > MAX_NAME_COMPONENTS) {
    throw new KerberosMessageError(`${what}: ${nameString.length} name components`);
  }
  return { nameType, nameString };
}

export function principalNameBlock(name: PrincipalName): asn1js.Sequence {
  return taggedSequence([
    [0, integer(name.nameType)],
    [1, new asn1js.Sequence({ value: name.nameString.map(kerberosString) })],
  ]);
}

export function readEncryptedData(block: asn1js.BaseBlock, what: string): EncryptedData {
  const fields = Fields.of(block, what);
  return { etype: fields.required(0, readInt32), kvno: fields.optional(1, readUInt32), cipher: fields.required(2, readOctetString) };
}

export function encryptedDataBlock(data: EncryptedData): asn1js.Sequence {
  return taggedSequence([
    [0, integer(data.etype)],
    [1, data.kvno === undefined ? undefined : integer(data.kvno)],
    [2, octetString(data.cipher)],
  ]);
}

export function readEncryptionKey(block: asn1js.BaseBlock, what: string): EncryptionKey {
  const fields = Fields.of(block, what);
  return { keytype: fields.required(0, readInt32), keyvalue: fields.required(1, readOctetString) };
}

export function encryptionKeyBlock(key: EncryptionKey): asn1js.Sequence {
  return taggedSequence([
    [0, integer(key.keytype)],
    [1, octetString(key.keyvalue)],
  ]);
}

export function readChecksum(block: asn1js.BaseBlock, what: string): Checksum {
  const fields = Fields.of(block, what);
  return { cksumtype: fields.required(0, readInt32), checksum: fields.required(1, readOctetString) };
}

export function checksumBlock(checksum: Checksum): asn1js.Sequence {
  return taggedSequence([
    [0, integer(checksum.cksumtype)],
    [1, octetString(checksum.checksum)],
  ]);
}

/** A SEQUENCE OF `{ [0] Int32, [1] OCTET STRING }`: AuthorizationData, HostAddresses, TransitedEncoding's shape. */
function readTypedOctets(block: asn1js.BaseBlock, what: string): { type: number; value: Buffer } {
  const fields = Fields.of(block, what);
  return { type: fields.required(0, readInt32), value: fields.required(1, readOctetString) };
}

function typedOctetsBlock(type: number, value: Buffer): asn1js.Sequence {
  return taggedSequence([
    [0, integer(type)],
    [1, octetString(value)],
  ]);
}

export function readAuthorizationData(block: asn1js.BaseBlock, what: string): AuthorizationDataEntry[] {
  return sequenceOf(block, what).map((entry) => {
    const { type, value } = readTypedOctets(entry, what);
    return { adType: type, adData: value };
  });
}

export function authorizationDataBlock(entries: readonly AuthorizationDataEntry[]): asn1js.Sequence {
  return new asn1js.Sequence({ value: entries.map((entry) => typedOctetsBlock(entry.adType, entry.adData)) });
}

export function readHostAddresses(block: asn1js.BaseBlock, what: string): HostAddress[] {
  return sequenceOf(block, what).map((entry) => {
    const { type, value } = readTypedOctets(entry, what);
    return { addrType: type, address: value };
  });
}

export function hostAddressesBlock(addresses: readonly HostAddress[]): asn1js.Sequence {
  return new asn1js.Sequence({ value: addresses.map((entry) => typedOctetsBlock(entry.addrType, entry.address)) });
}

export function readTransited(block: asn1js.BaseBlock, what: string): TransitedEncoding {
  const { type, value } = readTypedOctets(block, what);
  return { trType: type, contents: value };
}

export function transitedBlock(transited: TransitedEncoding): asn1js.Sequence {
  return typedOctetsBlock(transited.trType, transited.contents);
}

/** Principal names compare by their components; the name type is only a hint [RFC 4120 §6.2]. */
export function samePrincipal(a: PrincipalName, b: PrincipalName): boolean {
  return a.nameString.length === b.nameString.length && a.nameString.every((part, index) => part === b.nameString[index]);
}
