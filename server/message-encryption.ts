import { MessageSecurityError, type SecurityContext } from '../auth/security-context.js';
import {
  EncryptedBodyError,
  frameEncrypted,
  parseEncryptedContentType,
  unframeEncrypted,
  type FramedBody,
} from '../protocol/encryption/multipart-encrypted.js';

/** A request body after unsealing, and what its reply must be sealed with. */
export interface DecryptedRequest {
  readonly soap: Buffer;
  /** The OriginalContent type, e.g. application/soap+xml;charset=UTF-8. */
  readonly soapContentType: string;
  readonly protocol: string;
}

export function isEncryptedBody(contentType: string): boolean {
  return parseEncryptedContentType(contentType) !== undefined;
}

/**
 * Unseals a multipart/encrypted body with the connection's context ([MS-WSMV] 2.2.9.1). Every
 * part must verify and decrypt to exactly its declared length; otherwise the whole message is
 * refused (MessageSecurityError) and nothing of it is processed. `allocate` gives the plaintext's
 * memory where the mechanism can use it (SecurityContext.unwrap).
 */
export function decryptRequest(
  body: Buffer,
  contentType: string,
  context: SecurityContext,
  allocate?: (size: number) => Buffer,
): DecryptedRequest {
  const type = parseEncryptedContentType(contentType);
  if (type === undefined) throw new MessageSecurityError('not a multipart/encrypted body');
  let parts;
  try {
    parts = unframeEncrypted(body, type.boundary);
  } catch (error) {
    if (error instanceof EncryptedBodyError) throw new MessageSecurityError(`malformed encrypted body: ${error.message}`);
    throw error;
  }
  const plaintexts = parts.map((part) => {
    const plaintext = context.unwrap({ header: part.header, data: part.data }, allocate);
    if (plaintext.length !== part.originalLength) {
      throw new MessageSecurityError(`decrypted ${plaintext.length} bytes where the message declared ${part.originalLength}`);
    }
    return plaintext;
  });
  const first = parts[0];
  if (first === undefined) throw new MessageSecurityError('an encrypted body with no part');
  const soap = plaintexts.length === 1 && plaintexts[0] !== undefined ? plaintexts[0] : Buffer.concat(plaintexts);
  return { soap, soapContentType: first.originalContentType, protocol: type.protocol };
}

/**
 * Seals a reply the way its request was sealed: same context, same protocol string. `allocate`
 * gives the framed body's memory (see frameEncrypted).
 */
export function encryptReply(
  soap: Buffer,
  soapContentType: string,
  protocol: string,
  context: SecurityContext,
  allocate?: (size: number) => Buffer,
): FramedBody {
  const sealed = context.wrap(soap);
  const part = { protocol, originalContentType: soapContentType, originalLength: soap.length, header: sealed.header, data: sealed.data };
  return frameEncrypted([part], undefined, allocate);
}
