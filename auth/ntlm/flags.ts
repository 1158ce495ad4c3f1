/**
 * NegotiateFlags (MS-NLMP 2.2.2.5), with the spec's names. Values are unsigned 32-bit; combine
 * them with `|` and normalise with `>>> 0`, since JavaScript bitwise results are signed.
 */
export const NegotiateFlags = {
  NTLMSSP_NEGOTIATE_UNICODE: 0x00000001,
  NTLM_NEGOTIATE_OEM: 0x00000002,
  NTLMSSP_REQUEST_TARGET: 0x00000004,
  NTLMSSP_NEGOTIATE_SIGN: 0x00000010,
  NTLMSSP_NEGOTIATE_SEAL: 0x00000020,
  NTLMSSP_NEGOTIATE_DATAGRAM: 0x00000040,
  NTLMSSP_NEGOTIATE_LM_KEY: 0x00000080,
  NTLMSSP_NEGOTIATE_NTLM: 0x00000200,
  /** Bit "N": the connection should be anonymous (the spec gives no name; Windows and Samba headers say NTLMSSP_ANONYMOUS). */
  NTLMSSP_ANONYMOUS: 0x00000800,
  NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED: 0x00001000,
  NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED: 0x00002000,
  NTLMSSP_NEGOTIATE_ALWAYS_SIGN: 0x00008000,
  NTLMSSP_TARGET_TYPE_DOMAIN: 0x00010000,
  NTLMSSP_TARGET_TYPE_SERVER: 0x00020000,
  NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY: 0x00080000,
  NTLMSSP_NEGOTIATE_IDENTIFY: 0x00100000,
  NTLMSSP_REQUEST_NON_NT_SESSION_KEY: 0x00400000,
  NTLMSSP_NEGOTIATE_TARGET_INFO: 0x00800000,
  NTLMSSP_NEGOTIATE_VERSION: 0x02000000,
  NTLMSSP_NEGOTIATE_128: 0x20000000,
  NTLMSSP_NEGOTIATE_KEY_EXCH: 0x40000000,
  NTLMSSP_NEGOTIATE_56: 0x80000000,
} as const;

export type NegotiateFlag = (typeof NegotiateFlags)[keyof typeof NegotiateFlags];

/** True when `flag` is set in `flags`. */
export function hasFlag(flags: number, flag: NegotiateFlag): boolean {
  return (flags & flag) !== 0;
}

/** ORs flags together as an unsigned 32-bit value. */
export function combineFlags(...flags: readonly number[]): number {
  return flags.reduce((all, flag) => (all | flag) >>> 0, 0);
}
