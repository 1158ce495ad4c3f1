import { md4 } from './md4.js';

/**
 * NTOWFv1 (MS-NLMP 3.3.1): MD4 of the UTF-16LE password, the "NT hash" an account store keeps
 * so that NTLM can authenticate without the clear-text password.
 */
export function ntHash(password: string): Buffer {
  return md4(Buffer.from(password, 'utf16le'));
}
