import { createHash } from 'node:crypto';
import { constantTimeEqual } from './ntlmv2.js';

/**
 * How strictly to check the client's channel bindings (MsvAvChannelBindings), mirroring Windows'
 * CbtHardeningLevel: `None` ignores them; `Relaxed` (the Windows default) rejects a non-zero value
 * that differs from this connection's but accepts a missing or all-zero one (older clients);
 * `Strict` requires a match. Without a channel binding hash (plain HTTP) nothing is checked.
 */
export type ChannelBindingPolicy = 'None' | 'Relaxed' | 'Strict';

/** The 16 zero bytes a client sends when it has no channel bindings to offer. */
const UNBOUND = Buffer.alloc(16);

/**
 * MD5 of the gss_channel_bindings_struct (RFC 2744 §3.11, as MS-NLMP 3.1.5.2.1 and MS-KILE hash it)
 * with empty initiator and acceptor addresses:
 * LE32(0) initiator_addrtype, LE32(0) length, LE32(0) acceptor_addrtype, LE32(0) length,
 * LE32(n) application_data length, application_data. For TLS, application_data is
 * ASCII "tls-server-end-point:" ‖ tlsServerEndPointHash(certificate).
 */
export function gssChannelBindingsHash(applicationData: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt32LE(applicationData.length, 16);
  return createHash('md5').update(header).update(applicationData).digest();
}

/** Signature hash names and OIDs mapped to the hash RFC 5929 §4.1 keeps (SHA-224 and up). */
const KEPT_HASHES: readonly (readonly [RegExp, string])[] = [
  [/sha-?512|^1\.2\.840\.113549\.1\.1\.13$|^1\.2\.840\.10045\.4\.3\.4$|^2\.16\.840\.1\.101\.3\.4\.2\.3$/i, 'sha512'],
  [/sha-?384|^1\.2\.840\.113549\.1\.1\.12$|^1\.2\.840\.10045\.4\.3\.3$|^2\.16\.840\.1\.101\.3\.4\.2\.2$/i, 'sha384'],
  [/sha-?224|^1\.2\.840\.113549\.1\.1\.14$|^1\.2\.840\.10045\.4\.3\.1$|^2\.16\.840\.1\.101\.3\.4\.2\.4$/i, 'sha224'],
];

/**
 * The RFC 5929 `tls-server-end-point` hash of a DER certificate: hashed with the certificate's
 * signature hash algorithm, except that MD5 and SHA-1 are replaced by SHA-256 (§4.1). Accepts names
 * such as "sha384", "SHA-384", "sha384WithRSAEncryption", "ecdsa-with-SHA384" or the algorithm OID.
 * Anything else (SHA-256, MD5, SHA-1, EdDSA, unknown) gives SHA-256, as Windows and pyspnego do.
 */
export function tlsServerEndPointHash(certDer: Buffer, signatureHashAlgorithm: string): Buffer {
  const name = signatureHashAlgorithm.trim();
  const hash = KEPT_HASHES.find(([pattern]) => pattern.test(name))?.[1] ?? 'sha256';
  return createHash(hash).update(certDer).digest();
}

/**
 * Applies the policy to the client's MsvAvChannelBindings value. Returns a reason for refusal, or
 * undefined when the bindings are acceptable. The values are not secret, but constant-time
 * comparison costs nothing here.
 */
export function checkChannelBindings(
  policy: ChannelBindingPolicy,
  expected: Buffer | undefined,
  clientValue: Buffer | undefined,
): string | undefined {
  if (policy === 'None' || expected === undefined) return undefined;
  const matches = clientValue !== undefined && constantTimeEqual(clientValue, expected);
  if (matches) return undefined;
  const unbound = clientValue === undefined || constantTimeEqual(clientValue, UNBOUND);
  if (policy === 'Relaxed' && unbound) return undefined;
  return unbound ? 'client sent no channel bindings (policy Strict)' : 'channel bindings do not match this TLS connection';
}
