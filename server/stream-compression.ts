/**
 * `rsp:CompressionType` (xpress) for a shell: asked for on Create, it means every Send payload
 * arrives in the xpress framing and every Receive payload must go back in it
 * (protocol/winrs/xpress-framing.ts). The shell record carries the choice; the handlers make one
 * call each.
 */
import { decodeXpressStream, encodeXpressStream, XpressError } from '../protocol/winrs/xpress-framing.js';
import { WsmanFault } from '../protocol/wsman/fault.js';
import type { ShellRecord } from './shell-registry.js';

export type StreamCompression = 'xpress';

/**
 * The compression a Create asks for, checked before anything is created. Only `xpress` exists;
 * anything else is refused (with InvalidParameter: which fault Windows gives is unverified).
 */
export function requestedCompression(compressionType: string | undefined): StreamCompression | undefined {
  if (compressionType === undefined || compressionType === '') return undefined;
  if (compressionType.toLowerCase() === 'xpress') return 'xpress';
  throw new WsmanFault('invalidParameter', [], `CompressionType '${compressionType}'`);
}

/**
 * A Send payload as the command should read it. A decompressed payload may be at most `limit`
 * bytes (a compressed chunk of a few bytes can claim 64 KiB; this bounds what one Send can cost).
 */
export function decodeInput(record: ShellRecord, data: Buffer, limit: number): Buffer {
  if (record.compression === undefined || data.length === 0) return data;
  try {
    return decodeXpressStream(data, limit);
  } catch (error) {
    if (error instanceof XpressError) throw new WsmanFault('invalidParameter', [], `compressed input: ${error.message}`);
    throw error;
  }
}

/** A Receive payload as the client expects it: in the xpress framing when the shell asked for it. */
export function encodeOutput(record: ShellRecord, data: Buffer): Buffer {
  return record.compression !== undefined && data.length > 0 ? encodeXpressStream(data) : data;
}
