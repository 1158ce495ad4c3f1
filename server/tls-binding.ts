import { X509Certificate } from 'node:crypto';
import { fromBER, ObjectIdentifier, Sequence } from 'asn1js';
import { gssChannelBindingsHash, tlsServerEndPointHash } from '../auth/ntlm/index.js';

/** Signature algorithm OIDs whose hash RFC 5929 keeps for tls-server-end-point. */
const SIGNATURE_HASH_BY_OID: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

/**
 * The MD5 of the GSS channel bindings a client computes for this certificate (RFC 5929
 * tls-server-end-point), which NTLM carries in MsvAvChannelBindings and Kerberos in its checksum.
 */
export function channelBindingHashFor(certificatePem: string): Buffer {
  const der = new X509Certificate(certificatePem).raw;
  const hash = tlsServerEndPointHash(der, signatureHashOf(der));
  return gssChannelBindingsHash(Buffer.concat([Buffer.from('tls-server-end-point:', 'ascii'), hash]));
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signature }. */
function signatureHashOf(der: Buffer): string {
  const parsed = fromBER(new Uint8Array(der));
  const certificate = parsed.result;
  if (!(certificate instanceof Sequence)) return 'sha256';
  const algorithm = certificate.valueBlock.value[1];
  const oid = algorithm instanceof Sequence ? algorithm.valueBlock.value[0] : undefined;
  // Unknown algorithms (and MD5/SHA-1 ones) use SHA-256, as RFC 5929 section 4.1 says.
  return (oid instanceof ObjectIdentifier ? SIGNATURE_HASH_BY_OID[oid.getValue()] : undefined) ?? 'sha256';
}
