import type { KeytabEntry } from './keytab.js';

/**
 * Writing keytabs in the 0x0502 format that keytab.ts parses, so that tests (and tools) can make
 * keytabs without a KDC. Out-of-range values are programming errors and throw RangeError.
 */

export interface SerializeEntryOptions {
  /**
   * Append the 32-bit kvno after the key (default true, as MIT has done since 1.6). Without it only
   * the low 8 bits of the kvno survive, as in keytabs from older tools.
   */
  readonly vno32?: boolean;
}

function checkRange(value: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${what} out of range: ${value}`);
  return value;
}

function counted(bytes: Buffer, what: string): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(checkRange(bytes.length, 0, 0xffff, `${what} length`), 0);
  return Buffer.concat([length, bytes]);
}

/** One entry including its leading int32 size, ready to append after the 05 02 header. */
export function serializeKeytabEntry(entry: KeytabEntry, options: SerializeEntryOptions = {}): Buffer {
  const { realm, components, nameType } = entry.principal;
  const head = Buffer.alloc(2);
  head.writeUInt16BE(checkRange(components.length, 1, 0xffff, 'component count'), 0);
  const fixed = Buffer.alloc(4 + 4 + 1 + 2);
  fixed.writeInt32BE(checkRange(nameType, -0x80000000, 0x7fffffff, 'name type'), 0);
  fixed.writeUInt32BE(checkRange(entry.timestamp, 0, 0xffffffff, 'timestamp'), 4);
  const kvno = checkRange(entry.kvno, 0, 0xffffffff, 'kvno');
  fixed.writeUInt8(kvno & 0xff, 8);
  fixed.writeInt16BE(checkRange(entry.enctype, -0x8000, 0x7fff, 'enctype'), 9);
  const parts = [
    head,
    counted(Buffer.from(realm, 'utf8'), 'realm'),
    ...components.map((component) => counted(Buffer.from(component, 'utf8'), 'component')),
    fixed,
    counted(entry.key, 'key'),
  ];
  if (options.vno32 ?? true) {
    const vno = Buffer.alloc(4);
    vno.writeUInt32BE(kvno, 0);
    parts.push(vno);
  }
  const body = Buffer.concat(parts);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

/** A complete keytab file: 05 02 followed by every entry with its 32-bit kvno. */
export function serializeKeytab(entries: readonly KeytabEntry[]): Buffer {
  return Buffer.concat([Buffer.of(0x05, 0x02), ...entries.map((entry) => serializeKeytabEntry(entry))]);
}
