import { KerberosMessageError } from './errors.js';

/** The authenticator cksumtype that carries GSS-API data instead of a real checksum [RFC 4121 §4.1.1]. */
export const GSS_CHECKSUM_TYPE = 0x8003;

/** Context flags in the 0x8003 checksum [RFC 4121 §4.1.1.1, RFC 2744 §3.9; DCE/IDENTIFY/EXTENDED_ERROR from MS-KILE 3.2.5.2]. */
export const GssFlags = {
  deleg: 0x1,
  mutual: 0x2,
  replay: 0x4,
  sequence: 0x8,
  conf: 0x10,
  integ: 0x20,
  anon: 0x40,
  dceStyle: 0x1000,
  identify: 0x2000,
  extendedError: 0x4000,
} as const;

/**
 * The 0x8003 checksum value [RFC 4121 §4.1.1]:
 * `Lgth(4, LE) = 16 ‖ Bnd(16) ‖ Flags(4, LE) [‖ DlgOpt(2, LE) = 1 ‖ Dlgth(2, LE) ‖ Deleg] [‖ Exts]`.
 */
export interface GssChecksum {
  /** MD5 of the gss_channel_bindings_struct, or 16 zero bytes for none. */
  readonly bindings: Buffer;
  readonly flags: number;
  /** The KRB-CRED with the forwarded TGT, present only when DELEG is set and the client sent one. */
  readonly delegation?: Buffer | undefined;
  /** Anything after the fixed fields (RFC 4121 "Exts"); kept, never interpreted. */
  readonly extensions?: Buffer | undefined;
}

const BINDINGS_LENGTH = 16;
const FIXED_LENGTH = 4 + BINDINGS_LENGTH + 4;
/** KRB5_GSS_FOR_CREDS_OPTION: the only DlgOpt defined. */
const DELEGATION_OPTION = 1;

/** Parses the checksum bytes of an authenticator whose cksumtype is 0x8003. Throws KerberosMessageError only. */
export function parseGssChecksum(value: Buffer): GssChecksum {
  if (value.length < FIXED_LENGTH) throw new KerberosMessageError(`GSS checksum: ${value.length} bytes, need ${FIXED_LENGTH}`);
  // "Lgth: Number of bytes in Bnd field; is currently 16" [RFC 4121 §4.1.1].
  if (value.readUInt32LE(0) !== BINDINGS_LENGTH) throw new KerberosMessageError('GSS checksum: Lgth is not 16');
  const bindings = Buffer.from(value.subarray(4, 4 + BINDINGS_LENGTH));
  let flags = value.readUInt32LE(4 + BINDINGS_LENGTH);
  let rest = value.subarray(FIXED_LENGTH);
  let delegation: Buffer | undefined;
  // The delegation fields exist only when DELEG is set; otherwise the remainder is extensions (MIT kg_accept_krb5).
  if (flags & GssFlags.deleg && rest.length > 0) {
    if (rest.length < 4) throw new KerberosMessageError('GSS checksum: truncated delegation header');
    if (rest.readUInt16LE(0) !== DELEGATION_OPTION) throw new KerberosMessageError('GSS checksum: DlgOpt is not 1');
    const length = rest.readUInt16LE(2);
    if (rest.length < 4 + length) throw new KerberosMessageError('GSS checksum: truncated delegation');
    delegation = Buffer.from(rest.subarray(4, 4 + length));
    rest = rest.subarray(4 + length);
  } else if (flags & GssFlags.deleg) {
    // DELEG without credentials means nothing was delegated; do not report it (MIT does the same).
    flags &= ~GssFlags.deleg;
  }
  return { bindings, flags, delegation, extensions: rest.length > 0 ? Buffer.from(rest) : undefined };
}

/** Builds the checksum bytes (initiator side; used by tests and for symmetry). */
export function buildGssChecksum(checksum: GssChecksum): Buffer {
  if (checksum.bindings.length !== BINDINGS_LENGTH) throw new RangeError('bindings must be 16 bytes');
  const fixed = Buffer.alloc(FIXED_LENGTH);
  fixed.writeUInt32LE(BINDINGS_LENGTH, 0);
  checksum.bindings.copy(fixed, 4);
  fixed.writeUInt32LE(checksum.flags >>> 0, 4 + BINDINGS_LENGTH);
  const parts: Buffer[] = [fixed];
  if (checksum.delegation !== undefined) {
    const header = Buffer.alloc(4);
    header.writeUInt16LE(DELEGATION_OPTION, 0);
    header.writeUInt16LE(checksum.delegation.length, 2);
    parts.push(header, checksum.delegation);
  }
  if (checksum.extensions !== undefined) parts.push(checksum.extensions);
  return Buffer.concat(parts);
}
