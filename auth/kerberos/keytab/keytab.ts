/**
 * MIT keytab files (format version 0x0502, the only one anything writes today), parsed from the
 * bytes the server read. Layout, all integers big-endian (MIT krb5 src/lib/krb5/keytab/kt_file.c;
 * protocol-notes §5.1):
 *
 *   file   = 05 02, then entries until the end of the bytes
 *   entry  = size (int32; < 0: a deleted "hole" of -size bytes; 0: end of the keytab)
 *            num_components (u16, realm not counted) ‖ realm (u16 length ‖ bytes) ‖ components
 *            ‖ name_type (int32) ‖ timestamp (u32) ‖ vno8 (u8) ‖ keytype (int16) ‖ key (u16 length ‖ bytes)
 *            ‖ [vno32 (u32), present if at least 4 bytes of the entry remain; overrides vno8 when
 *            non-zero] ‖ [anything else, e.g. Heimdal's flags: ignored]
 *
 * Version 0x0501 (host byte order, realm counted in num_components) is rejected: its byte order is
 * unknowable from the file and no current tool writes it.
 */

export class KeytabError extends Error {
  override readonly name = 'KeytabError';
}

export interface KeytabPrincipal {
  readonly realm: string;
  readonly components: readonly string[];
  /** KRB5_NT_*: 1 principal, 2 srv-inst, 3 srv-hst. */
  readonly nameType: number;
}

export interface KeytabEntry {
  readonly principal: KeytabPrincipal;
  /** Seconds since the epoch when the key was written. */
  readonly timestamp: number;
  /** The 32-bit kvno when present and non-zero, else the 8-bit one. */
  readonly kvno: number;
  readonly enctype: number;
  readonly key: Buffer;
}

/** Bounded big-endian reads over one entry; every overrun is a KeytabError, never a RangeError. */
class EntryReader {
  #offset: number;

  constructor(
    private readonly bytes: Buffer,
    start: number,
    private readonly end: number,
  ) {
    this.#offset = start;
  }

  get remaining(): number {
    return this.end - this.#offset;
  }

  #take(length: number, what: string): number {
    if (length > this.remaining) throw new KeytabError(`keytab entry truncated in ${what} at offset ${this.#offset}`);
    const at = this.#offset;
    this.#offset += length;
    return at;
  }

  u8(what: string): number {
    return this.bytes.readUInt8(this.#take(1, what));
  }

  u16(what: string): number {
    return this.bytes.readUInt16BE(this.#take(2, what));
  }

  int16(what: string): number {
    return this.bytes.readInt16BE(this.#take(2, what));
  }

  u32(what: string): number {
    return this.bytes.readUInt32BE(this.#take(4, what));
  }

  int32(what: string): number {
    return this.bytes.readInt32BE(this.#take(4, what));
  }

  /** A u16-counted octet string, copied so that the entry does not pin the caller's buffer. */
  counted(what: string): Buffer {
    const length = this.u16(`${what} length`);
    const at = this.#take(length, what);
    return Buffer.from(this.bytes.subarray(at, at + length));
  }
}

function parseEntry(bytes: Buffer, start: number, end: number): KeytabEntry {
  const reader = new EntryReader(bytes, start, end);
  const count = reader.u16('num_components');
  if (count === 0) throw new KeytabError(`keytab entry at offset ${start} has no name components`);
  const realm = reader.counted('realm').toString('utf8');
  const components: string[] = [];
  for (let i = 0; i < count; i++) components.push(reader.counted('component').toString('utf8'));
  const nameType = reader.int32('name_type');
  const timestamp = reader.u32('timestamp');
  const vno8 = reader.u8('vno8');
  // MIT reads the keytype as a signed 16-bit number (negative enctypes are private-use values).
  const enctype = reader.int16('keytype');
  const key = reader.counted('key');
  let kvno = vno8;
  if (reader.remaining >= 4) {
    const vno32 = reader.u32('vno');
    if (vno32 !== 0) kvno = vno32;
  }
  return { principal: { realm, components, nameType }, timestamp, kvno, enctype, key };
}

/**
 * Parses a whole keytab. Throws KeytabError (and nothing else) for anything malformed: a wrong
 * version, an entry or hole running past the end, fields overrunning their entry, a trailing
 * partial size field. A size of 0 ends the keytab, as in MIT (it reads as end-of-file).
 */
export function parseKeytab(bytes: Buffer): KeytabEntry[] {
  if (bytes.length < 2 || bytes[0] !== 0x05) throw new KeytabError('not a keytab: missing the 0x05 version byte');
  if (bytes[1] === 0x01) throw new KeytabError('keytab format 0x0501 (host byte order) is not supported');
  if (bytes[1] !== 0x02) throw new KeytabError(`unknown keytab format 0x05${(bytes[1] ?? 0).toString(16).padStart(2, '0')}`);
  const entries: KeytabEntry[] = [];
  let offset = 2;
  while (offset < bytes.length) {
    if (bytes.length - offset < 4) throw new KeytabError(`truncated entry size at offset ${offset}`);
    const size = bytes.readInt32BE(offset);
    offset += 4;
    if (size === 0) break;
    // -2^31 has no positive counterpart; MIT rejects it the same way.
    if (size === -0x80000000) throw new KeytabError(`invalid entry size at offset ${offset - 4}`);
    const length = Math.abs(size);
    if (length > bytes.length - offset) {
      throw new KeytabError(`keytab ${size < 0 ? 'hole' : 'entry'} of ${length} bytes at offset ${offset - 4} runs past the end`);
    }
    if (size > 0) entries.push(parseEntry(bytes, offset, offset + length));
    offset += length;
  }
  return entries;
}

const escapeComponent = (text: string): string => escapeName(text, /[\\/@\0\n\t\b]/g);
const escapeRealm = (text: string): string => escapeName(text, /[\\@\0\n\t\b]/g);
const ESCAPES: Readonly<Record<string, string>> = { '\0': '\\0', '\n': '\\n', '\t': '\\t', '\b': '\\b' };

function escapeName(text: string, special: RegExp): string {
  return text.replace(special, (ch) => ESCAPES[ch] ?? `\\${ch}`);
}

/**
 * The principal as text, `HTTP/host.example.com@EXAMPLE.COM`, escaping `/`, `@` and `\` inside
 * components (and `@`, `\` in the realm) with a backslash as MIT's krb5_unparse_name does.
 */
export function principalName(entry: Pick<KeytabEntry, 'principal'>): string {
  const { components, realm } = entry.principal;
  return `${components.map(escapeComponent).join('/')}@${escapeRealm(realm)}`;
}

export { findKey, type KeyQuery } from './find-key.js';
export { serializeKeytab, serializeKeytabEntry, type SerializeEntryOptions } from './serialize.js';
