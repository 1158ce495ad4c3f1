/**
 * Object identifiers that appear in SPNEGO tokens [RFC 4178 §4.1, MS-SPNG 1.9], as dotted strings.
 */
export const OID = {
  /** SPNEGO itself: the thisMech of the GSS InitialContextToken [RFC 4178 §3.1]. */
  spnego: '1.3.6.1.5.5.2',
  /** NTLMSSP [MS-NLMP 1.9]. */
  ntlm: '1.3.6.1.4.1.311.2.2.10',
  /** Kerberos V5 [RFC 4121 §1]. */
  kerberos: '1.2.840.113554.1.2.2',
  /** The truncated Kerberos OID old Windows used; Windows clients still list it first [MS-SPNG 3.1.5.2]. */
  msKerberos: '1.2.840.48018.1.2.2',
  /** NEGOEX [MS-NEGOEX]: never chosen here. */
  negoex: '1.3.6.1.4.1.311.2.2.30',
} as const;

/** The inner mechanisms an acceptor can run under SPNEGO. */
export type SpnegoMechanism = 'NTLM' | 'Kerberos';

/** Which inner mechanism an OID names; undefined for NEGOEX and anything unknown. */
export function mechanismForOid(oid: string): SpnegoMechanism | undefined {
  switch (oid) {
    case OID.ntlm:
      return 'NTLM';
    case OID.kerberos:
    case OID.msKerberos:
      return 'Kerberos';
    default:
      return undefined;
  }
}
