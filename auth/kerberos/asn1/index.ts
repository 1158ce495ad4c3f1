/** Kerberos V5 message codecs over asn1js [RFC 4120 §5]: the AP exchange and what it carries. */
export {
  type AuthorizationDataEntry,
  type Checksum,
  type EncryptedData,
  type EncryptionKey,
  type HostAddress,
  NameType,
  type PrincipalName,
  type TransitedEncoding,
  samePrincipal,
} from './common.js';
export { ApOptions, type ApReq, MessageType, type Ticket, encodeApReq, encodeTicket, parseApReq, parseTicket } from './ap-req.js';
export { type ApRep, type EncApRepPart, encodeApRep, encodeEncApRepPart, parseApRep, parseEncApRepPart } from './ap-rep.js';
export { type Authenticator, encodeAuthenticator, parseAuthenticator } from './authenticator.js';
export { type EncTicketPart, TicketFlags, encodeEncTicketPart, parseEncTicketPart } from './enc-ticket-part.js';
