import { type EncryptedData, type EncryptionKey, encryptedDataBlock, encryptionKeyBlock, readEncryptedData, readEncryptionKey } from './common.js';
import { Fields, applicationBody, decodeDer, readInt32, readKerberosTime, readMicroseconds, readUInt32 } from './der-read.js';
import { application, derBytes, integer, kerberosTime, taggedSequence } from './der-write.js';
import { MessageType } from './ap-req.js';
import { expectMessageType, expectVersion, guarded } from './guard.js';

/** AP-REP ::= [APPLICATION 15] SEQUENCE { pvno [0] 5, msg-type [1] 15, enc-part [2] EncryptedData } [RFC 4120 §5.5.2]. */
export interface ApRep {
  readonly encPart: EncryptedData;
}

/**
 * EncAPRepPart ::= [APPLICATION 27] SEQUENCE { ctime [0], cusec [1], subkey [2] OPTIONAL,
 * seq-number [3] OPTIONAL } [RFC 4120 §5.5.2]; ctime and cusec echo the authenticator's.
 */
export interface EncApRepPart {
  readonly ctime: Date;
  readonly cusec: number;
  readonly subkey?: EncryptionKey | undefined;
  readonly seqNumber?: number | undefined;
}

const ENC_AP_REP_PART_TAG = 27;

export function encodeApRep(apRep: ApRep): Buffer {
  return derBytes(
    application(
      MessageType.apRep,
      taggedSequence([
        [0, integer(5)],
        [1, integer(MessageType.apRep)],
        [2, encryptedDataBlock(apRep.encPart)],
      ]),
    ),
  );
}

/** Decodes an AP-REP (the acceptor only builds them; initiator-side tests read them back). */
export function parseApRep(bytes: Buffer): ApRep {
  return guarded('AP-REP', () => {
    const fields = Fields.of(applicationBody(decodeDer(bytes, 'AP-REP'), MessageType.apRep, 'AP-REP'), 'AP-REP');
    expectVersion(fields.required(0, readInt32), 'AP-REP');
    expectMessageType(fields.required(1, readInt32), MessageType.apRep, 'AP-REP');
    return { encPart: fields.required(2, readEncryptedData) };
  });
}

export function encodeEncApRepPart(part: EncApRepPart): Buffer {
  return derBytes(
    application(
      ENC_AP_REP_PART_TAG,
      taggedSequence([
        [0, kerberosTime(part.ctime)],
        [1, integer(part.cusec)],
        [2, part.subkey === undefined ? undefined : encryptionKeyBlock(part.subkey)],
        [3, part.seqNumber === undefined ? undefined : integer(part.seqNumber)],
      ]),
    ),
  );
}

export function parseEncApRepPart(bytes: Buffer): EncApRepPart {
  return guarded('EncAPRepPart', () => {
    const what = 'EncAPRepPart';
    const fields = Fields.of(applicationBody(decodeDer(bytes, what), ENC_AP_REP_PART_TAG, what), what);
    return {
      ctime: fields.required(0, readKerberosTime),
      cusec: fields.required(1, readMicroseconds),
      subkey: fields.optional(2, readEncryptionKey),
      seqNumber: fields.optional(3, readUInt32),
    };
  });
}
