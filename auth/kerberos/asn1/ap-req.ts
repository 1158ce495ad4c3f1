import type * as asn1js from 'asn1js';
import {
  type EncryptedData,
  type PrincipalName,
  encryptedDataBlock,
  principalNameBlock,
  readEncryptedData,
  readPrincipalName,
} from './common.js';
import { Fields, applicationBody, decodeDer, readInt32, readKerberosFlags, readKerberosString } from './der-read.js';
import { application, derBytes, integer, kerberosFlags, kerberosString, taggedSequence } from './der-write.js';
import { expectMessageType, expectVersion, guarded } from './guard.js';

/** Message types and APPLICATION tags [RFC 4120 §5.10]. */
export const MessageType = { apReq: 14, apRep: 15, krbError: 30 } as const;

/**
 * APOptions bits as a uint32, bit 0 in the most significant position [RFC 4120 §5.5.1]:
 * use-session-key (1) for user-to-user, mutual-required (2) asks for an AP-REP.
 */
export const ApOptions = { useSessionKey: 0x4000_0000, mutualRequired: 0x2000_0000 } as const;

/**
 * Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0] 5, realm [1] Realm, sname [2] PrincipalName,
 * enc-part [3] EncryptedData -- EncTicketPart } [RFC 4120 §5.3].
 */
export interface Ticket {
  readonly realm: string;
  readonly sname: PrincipalName;
  readonly encPart: EncryptedData;
}

/**
 * AP-REQ ::= [APPLICATION 14] SEQUENCE { pvno [0] 5, msg-type [1] 14, ap-options [2] APOptions,
 * ticket [3] Ticket, authenticator [4] EncryptedData -- Authenticator } [RFC 4120 §5.5.1].
 */
export interface ApReq {
  readonly apOptions: number;
  readonly ticket: Ticket;
  readonly authenticator: EncryptedData;
}

export function readTicket(block: asn1js.BaseBlock, what: string): Ticket {
  const fields = Fields.of(applicationBody(block, 1, what), what);
  expectVersion(fields.required(0, readInt32), what);
  return {
    realm: fields.required(1, readKerberosString),
    sname: fields.required(2, readPrincipalName),
    encPart: fields.required(3, readEncryptedData),
  };
}

export function ticketBlock(ticket: Ticket): asn1js.Constructed {
  return application(
    1,
    taggedSequence([
      [0, integer(5)],
      [1, kerberosString(ticket.realm)],
      [2, principalNameBlock(ticket.sname)],
      [3, encryptedDataBlock(ticket.encPart)],
    ]),
  );
}

/** Decodes a DER AP-REQ (without GSS framing). Throws KerberosMessageError only. */
export function parseApReq(bytes: Buffer): ApReq {
  return guarded('AP-REQ', () => {
    const fields = Fields.of(applicationBody(decodeDer(bytes, 'AP-REQ'), MessageType.apReq, 'AP-REQ'), 'AP-REQ');
    expectVersion(fields.required(0, readInt32), 'AP-REQ');
    expectMessageType(fields.required(1, readInt32), MessageType.apReq, 'AP-REQ');
    return {
      apOptions: fields.required(2, readKerberosFlags),
      ticket: fields.required(3, readTicket),
      authenticator: fields.required(4, readEncryptedData),
    };
  });
}

export function encodeApReq(apReq: ApReq): Buffer {
  return derBytes(
    application(
      MessageType.apReq,
      taggedSequence([
        [0, integer(5)],
        [1, integer(MessageType.apReq)],
        [2, kerberosFlags(apReq.apOptions)],
        [3, ticketBlock(apReq.ticket)],
        [4, encryptedDataBlock(apReq.authenticator)],
      ]),
    ),
  );
}

/** Decodes a DER Ticket on its own (used by tests and for symmetry). */
export function parseTicket(bytes: Buffer): Ticket {
  return guarded('Ticket', () => readTicket(decodeDer(bytes, 'Ticket'), 'Ticket'));
}

export function encodeTicket(ticket: Ticket): Buffer {
  return derBytes(ticketBlock(ticket));
}
