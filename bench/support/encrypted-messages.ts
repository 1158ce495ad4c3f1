/**
 * Both ends of WinRM message encryption with NTLM [MS-WSMV 2.2.9.1]: the server's sealing of a reply
 * (the same two calls as encryptReply in server/message-encryption.ts) and the client's sealing of a
 * request and opening of a reply with the test client's session.
 */
import type { SecurityContext } from '../../auth/security-context.js';
import {
  ENCRYPTION_PROTOCOL,
  frameEncrypted,
  parseEncryptedContentType,
  unframeEncrypted,
  type FramedBody,
} from '../../protocol/encryption/multipart-encrypted.js';
import type { TestClientSession } from '../../test/unit/auth/ntlm/ntlm-test-client.js';

export const SOAP_CONTENT_TYPE = 'application/soap+xml;charset=UTF-8';
const PROTOCOL = ENCRYPTION_PROTOCOL.spnego;

/** Server side: wrap with the acceptor, then multipart/encrypted framing. */
export function serverSeal(context: SecurityContext, soap: Buffer): FramedBody {
  const sealed = context.wrap(soap);
  return frameEncrypted([{ protocol: PROTOCOL, originalContentType: SOAP_CONTENT_TYPE, originalLength: soap.length, ...sealed }]);
}

/** Client side: a request body the server's decryptRequest accepts. */
export function clientSeal(client: TestClientSession, soap: Buffer): FramedBody {
  const sealed = client.seal(soap);
  return frameEncrypted([{ protocol: PROTOCOL, originalContentType: SOAP_CONTENT_TYPE, originalLength: soap.length, ...sealed }]);
}

/** Client side: takes a reply apart and unseals it; throws on a bad signature or a length mismatch. */
export function clientOpen(client: TestClientSession, body: Buffer, contentType: string): Buffer {
  const type = parseEncryptedContentType(contentType);
  if (type === undefined) throw new Error(`reply is not multipart/encrypted: ${contentType}`);
  const plaintexts = unframeEncrypted(body, type.boundary).map((part) => {
    const plaintext = client.unseal({ header: part.header, data: part.data });
    if (plaintext.length !== part.originalLength) throw new Error(`unsealed ${plaintext.length} bytes, Length=${part.originalLength}`);
    return plaintext;
  });
  return plaintexts.length === 1 && plaintexts[0] !== undefined ? plaintexts[0] : Buffer.concat(plaintexts);
}
