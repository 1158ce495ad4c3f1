import {
  type AuthorizationDataEntry,
  type EncryptionKey,
  type HostAddress,
  type PrincipalName,
  type TransitedEncoding,
  authorizationDataBlock,
  encryptionKeyBlock,
  hostAddressesBlock,
  principalNameBlock,
  readAuthorizationData,
  readEncryptionKey,
  readHostAddresses,
  readPrincipalName,
  readTransited,
  transitedBlock,
} from './common.js';
import { Fields, applicationBody, decodeDer, readKerberosFlags, readKerberosString, readKerberosTime } from './der-read.js';
import { application, derBytes, kerberosFlags, kerberosString, kerberosTime, taggedSequence } from './der-write.js';
import { guarded } from './guard.js';

/** TicketFlags bits as a uint32, bit 0 in the most significant position [RFC 4120 §5.3]. */
export const TicketFlags = {
  forwardable: 0x4000_0000,
  forwarded: 0x2000_0000,
  proxiable: 0x1000_0000,
  proxy: 0x0800_0000,
  mayPostdate: 0x0400_0000,
  postdated: 0x0200_0000,
  /** "the application server MUST reject" a ticket with INVALID set [RFC 4120 §2.2]. */
  invalid: 0x0100_0000,
  renewable: 0x0080_0000,
  initial: 0x0040_0000,
  preAuthent: 0x0020_0000,
  hwAuthent: 0x0010_0000,
  transitedPolicyChecked: 0x0008_0000,
  okAsDelegate: 0x0004_0000,
} as const;

/**
 * EncTicketPart ::= [APPLICATION 3] SEQUENCE { flags [0], key [1], crealm [2], cname [3],
 * transited [4], authtime [5], starttime [6] OPTIONAL, endtime [7], renew-till [8] OPTIONAL,
 * caddr [9] OPTIONAL, authorization-data [10] OPTIONAL } [RFC 4120 §5.3].
 */
export interface EncTicketPart {
  readonly flags: number;
  readonly key: EncryptionKey;
  readonly crealm: string;
  readonly cname: PrincipalName;
  readonly transited: TransitedEncoding;
  readonly authtime: Date;
  readonly starttime?: Date | undefined;
  readonly endtime: Date;
  readonly renewTill?: Date | undefined;
  readonly caddr?: readonly HostAddress[] | undefined;
  readonly authorizationData?: readonly AuthorizationDataEntry[] | undefined;
}

const APPLICATION_TAG = 3;

/** Decodes the plaintext of a ticket's enc-part. Throws KerberosMessageError only. */
export function parseEncTicketPart(bytes: Buffer): EncTicketPart {
  return guarded('EncTicketPart', () => {
    const what = 'EncTicketPart';
    const fields = Fields.of(applicationBody(decodeDer(bytes, what), APPLICATION_TAG, what), what);
    return {
      flags: fields.required(0, readKerberosFlags),
      key: fields.required(1, readEncryptionKey),
      crealm: fields.required(2, readKerberosString),
      cname: fields.required(3, readPrincipalName),
      transited: fields.required(4, readTransited),
      authtime: fields.required(5, readKerberosTime),
      starttime: fields.optional(6, readKerberosTime),
      endtime: fields.required(7, readKerberosTime),
      renewTill: fields.optional(8, readKerberosTime),
      caddr: fields.optional(9, readHostAddresses),
      authorizationData: fields.optional(10, readAuthorizationData),
    };
  });
}

export function encodeEncTicketPart(part: EncTicketPart): Buffer {
  return derBytes(
    application(
      APPLICATION_TAG,
      taggedSequence([
        [0, kerberosFlags(part.flags)],
        [1, encryptionKeyBlock(part.key)],
        [2, kerberosString(part.crealm)],
        [3, principalNameBlock(part.cname)],
        [4, transitedBlock(part.transited)],
        [5, kerberosTime(part.authtime)],
        [6, part.starttime === undefined ? undefined : kerberosTime(part.starttime)],
        [7, kerberosTime(part.endtime)],
        [8, part.renewTill === undefined ? undefined : kerberosTime(part.renewTill)],
        [9, part.caddr === undefined ? undefined : hostAddressesBlock(part.caddr)],
        [10, part.authorizationData === undefined ? undefined : authorizationDataBlock(part.authorizationData)],
      ]),
    ),
  );
}
