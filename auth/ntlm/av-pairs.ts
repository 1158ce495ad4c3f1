import { NtlmMessageError, readBytes, readUInt16 } from './wire.js';

/** AvId values of an AV_PAIR (MS-NLMP 2.2.2.1). */
export const AvId = {
  MsvAvEOL: 0,
  MsvAvNbComputerName: 1,
  MsvAvNbDomainName: 2,
  MsvAvDnsComputerName: 3,
  MsvAvDnsDomainName: 4,
  MsvAvDnsTreeName: 5,
  MsvAvFlags: 6,
  MsvAvTimestamp: 7,
  MsvAvSingleHost: 8,
  MsvAvTargetName: 9,
  MsvAvChannelBindings: 10,
} as const;

/** Bits of the MsvAvFlags value (MS-NLMP 2.2.2.1; names from the Windows SDK's ntsecapi.h). */
export const MsvAvFlagBits = {
  /** The account authentication is constrained. */
  MSV1_0_AV_FLAG_FORCE_GUEST: 0x00000001,
  /** The client provides a MIC in the AUTHENTICATE_MESSAGE. */
  MSV1_0_AV_FLAG_MIC_HANDSHAKE_MESSAGES: 0x00000002,
  /** The client's target SPN came from an untrusted source. */
  MSV1_0_AV_FLAG_UNVERIFIED_TARGET: 0x00000004,
} as const;

/** One AV_PAIR (MS-NLMP 2.2.2.1): AvId u16, AvLen u16, Value. */
export interface AvPair {
  readonly id: number;
  readonly value: Buffer;
}

/**
 * Parses an AV_PAIR list up to and excluding MsvAvEOL. Bytes after the terminator are ignored:
 * inside an NTLMv2 response the list is followed by padding. A list without MsvAvEOL is malformed.
 */
export function parseAvPairs(bytes: Buffer): AvPair[] {
  const pairs: AvPair[] = [];
  let offset = 0;
  for (;;) {
    const id = readUInt16(bytes, offset, 'AV_PAIR AvId');
    const length = readUInt16(bytes, offset + 2, 'AV_PAIR AvLen');
    if (id === AvId.MsvAvEOL) return pairs;
    pairs.push({ id, value: readBytes(bytes, offset + 4, length, 'AV_PAIR Value') });
    offset += 4 + length;
  }
}

/** Encodes AV pairs and appends MsvAvEOL. Values longer than 65535 bytes cannot be encoded. */
export function encodeAvPairs(pairs: readonly AvPair[]): Buffer {
  const parts: Buffer[] = [];
  for (const pair of [...pairs, { id: AvId.MsvAvEOL, value: Buffer.alloc(0) }]) {
    if (pair.value.length > 0xffff) throw new NtlmMessageError('AV_PAIR value too long');
    const header = Buffer.alloc(4);
    header.writeUInt16LE(pair.id, 0);
    header.writeUInt16LE(pair.value.length, 2);
    parts.push(header, pair.value);
  }
  return Buffer.concat(parts);
}

/** The value of the first pair with `id`, if any. */
export function findAvPair(pairs: readonly AvPair[], id: number): Buffer | undefined {
  return pairs.find((pair) => pair.id === id)?.value;
}

/** The MsvAvFlags value, 0 when absent. A value shorter than 4 bytes is malformed. */
export function avFlags(pairs: readonly AvPair[]): number {
  const value = findAvPair(pairs, AvId.MsvAvFlags);
  if (value === undefined) return 0;
  if (value.length !== 4) throw new NtlmMessageError('MsvAvFlags must be 4 bytes');
  return value.readUInt32LE(0);
}

/** A text pair: the name encoded as UTF-16LE, as every string AV pair is regardless of flags. */
export function textAvPair(id: number, text: string): AvPair {
  return { id, value: Buffer.from(text, 'utf16le') };
}
