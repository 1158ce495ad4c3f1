/**
 * WinRM message-encryption body format [MS-WSMV 2.2.9.1]: the public entry point. The HTTP layer
 * reads the Content-Type with parseEncryptedContentType, takes the body apart with unframeEncrypted,
 * unwraps each part with the connection's security context, and answers with frameEncrypted using
 * the same protocol string (notes §1.7).
 */
export {
  DEFAULT_BOUNDARY,
  ENCRYPTION_PROTOCOL,
  EncryptedBodyError,
  type EncryptedPart,
  type EncryptionProtocol,
} from './encrypted-types.js';
export { parseEncryptedContentType, type EncryptedContentType } from './encrypted-content-type.js';
export { unframeEncrypted } from './unframe-encrypted.js';
export { frameEncrypted, type FramedBody } from './frame-encrypted.js';
