/**
 * Both ends of WinRM message encryption with Kerberos [MS-WSMV 2.2.9.1.2]: the server's wrapping of
 * a reply (encryptReply's two calls, with the protocol string a `Kerberos`-scheme request carries)
 * and the client's opening of it with the unit tests' initiator, written apart from wrap-token.ts.
 */
import type { SecurityContext } from '../../auth/security-context.js';
import {
  ENCRYPTION_PROTOCOL,
  frameEncrypted,
  parseEncryptedContentType,
  unframeEncrypted,
  type FramedBody,
} from '../../protocol/encryption/multipart-encrypted.js';
import type { TestInitiator } from '../../test/unit/auth/kerberos/test-initiator.js';
import { SOAP_CONTENT_TYPE } from './encrypted-messages.js';

const PROTOCOL = ENCRYPTION_PROTOCOL.kerberos;

/** Server side: an RFC 4121 wrap token from the acceptor, then multipart/encrypted framing. */
export function serverWrapKerberos(context: SecurityContext, soap: Buffer): FramedBody {
  const sealed = context.wrap(soap);
  return frameEncrypted([{ protocol: PROTOCOL, originalContentType: SOAP_CONTENT_TYPE, originalLength: soap.length, ...sealed }]);
}

/** Client side: takes a reply apart and unwraps it; throws on a bad token, sequence or length. */
export function clientUnwrapKerberos(initiator: TestInitiator, body: Buffer, contentType: string): Buffer {
  const type = parseEncryptedContentType(contentType);
  if (type === undefined) throw new Error(`reply is not multipart/encrypted: ${contentType}`);
  if (type.protocol !== PROTOCOL) throw new Error(`reply protocol is ${type.protocol}, not ${PROTOCOL}`);
  const plaintexts = unframeEncrypted(body, type.boundary).map((part) => {
    const plaintext = initiator.unwrap({ header: part.header, data: part.data });
    if (plaintext.length !== part.originalLength) throw new Error(`unwrapped ${plaintext.length} bytes, Length=${part.originalLength}`);
    return plaintext;
  });
  return plaintexts.length === 1 && plaintexts[0] !== undefined ? plaintexts[0] : Buffer.concat(plaintexts);
}
