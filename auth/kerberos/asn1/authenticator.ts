import {
  type AuthorizationDataEntry,
  type Checksum,
  type EncryptionKey,
  type PrincipalName,
  authorizationDataBlock,
  checksumBlock,
  encryptionKeyBlock,
  principalNameBlock,
  readAuthorizationData,
  readChecksum,
  readEncryptionKey,
  readPrincipalName,
} from './common.js';
import {
  Fields,
  applicationBody,
  decodeDer,
  readInt32,
  readKerberosString,
  readKerberosTime,
  readMicroseconds,
  readUInt32,
} from './der-read.js';
import { application, derBytes, integer, kerberosString, kerberosTime, taggedSequence } from './der-write.js';
import { expectVersion, guarded } from './guard.js';

/**
 * Authenticator ::= [APPLICATION 2] SEQUENCE { authenticator-vno [0] 5, crealm [1], cname [2],
 * cksum [3] OPTIONAL, cusec [4], ctime [5], subkey [6] OPTIONAL, seq-number [7] OPTIONAL,
 * authorization-data [8] OPTIONAL } [RFC 4120 §5.5.1]. Under GSS-API, cksum carries the 0x8003
 * checksum of RFC 4121 §4.1.1.
 */
export interface Authenticator {
  readonly crealm: string;
  readonly cname: PrincipalName;
  readonly cksum?: Checksum | undefined;
  readonly cusec: number;
  readonly ctime: Date;
  readonly subkey?: EncryptionKey | undefined;
  readonly seqNumber?: number | undefined;
  readonly authorizationData?: readonly AuthorizationDataEntry[] | undefined;
}

const APPLICATION_TAG = 2;

/** Decodes the plaintext of an AP-REQ authenticator. Throws KerberosMessageError only. */
export function parseAuthenticator(bytes: Buffer): Authenticator {
  return guarded('Authenticator', () => {
    const what = 'Authenticator';
    const fields = Fields.of(applicationBody(decodeDer(bytes, what), APPLICATION_TAG, what), what);
    expectVersion(fields.required(0, readInt32), what);
    return {
      crealm: fields.required(1, readKerberosString),
      cname: fields.required(2, readPrincipalName),
      cksum: fields.optional(3, readChecksum),
      cusec: fields.required(4, readMicroseconds),
      ctime: fields.required(5, readKerberosTime),
      subkey: fields.optional(6, readEncryptionKey),
      seqNumber: fields.optional(7, readUInt32),
      authorizationData: fields.optional(8, readAuthorizationData),
    };
  });
}

export function encodeAuthenticator(authenticator: Authenticator): Buffer {
  const { cksum, subkey, seqNumber, authorizationData } = authenticator;
  return derBytes(
    application(
      APPLICATION_TAG,
      taggedSequence([
        [0, integer(5)],
        [1, kerberosString(authenticator.crealm)],
        [2, principalNameBlock(authenticator.cname)],
        [3, cksum === undefined ? undefined : checksumBlock(cksum)],
        [4, integer(authenticator.cusec)],
        [5, kerberosTime(authenticator.ctime)],
        [6, subkey === undefined ? undefined : encryptionKeyBlock(subkey)],
        [7, seqNumber === undefined ? undefined : integer(seqNumber)],
        [8, authorizationData === undefined ? undefined : authorizationDataBlock(authorizationData)],
      ]),
    ),
  );
}
