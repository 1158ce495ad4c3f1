import { EncryptedBodyError } from './encrypted-types.js';

const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;
const SPACE = 0x20;
const DASH = 0x2d;
/** Header lines are short; a longer "line" means we are reading binary data. */
const MAX_LINE = 4096;

/** Where the encrypted data of a part stops, and what follows it. */
export type DataEnd =
  | { readonly kind: 'next'; readonly dataEnd: number; readonly nextPart: number }
  | { readonly kind: 'close'; readonly dataEnd: number };

export interface Line {
  readonly text: string;
  readonly next: number;
}

/**
 * Byte-level helpers over a multipart/encrypted body. Every index is bounds-checked here, so the
 * parser above can only fail with EncryptedBodyError.
 */
export class MimeScanner {
  private readonly boundary: Buffer;

  constructor(
    readonly body: Buffer,
    boundary: string,
  ) {
    this.boundary = Buffer.from(boundary, 'latin1');
  }

  /** Skips whitespace and empty lines before the first delimiter. */
  skipBlank(pos: number): number {
    let i = pos;
    while (i < this.body.length && isWhite(this.body[i])) i++;
    return i;
  }

  /** Reads one header line ending in LF or CRLF (the terminator is not part of `text`). */
  readLine(pos: number): Line {
    const lf = this.body.indexOf(LF, pos);
    if (lf < 0 || lf - pos > MAX_LINE) throw new EncryptedBodyError(`unterminated header line at byte ${pos}`);
    const end = lf > pos && this.body[lf - 1] === CR ? lf - 1 : lf;
    return { text: this.body.toString('latin1', pos, end), next: lf + 1 };
  }

  /** A `--boundary` line (not the closing one), with `--\s*` as Exchange writes it. */
  isDelimiterLine(line: string): boolean {
    const after = this.afterDelimiter(Buffer.from(line, 'latin1'), 0);
    return after !== undefined && /^[ \t]*$/.test(line.slice(after));
  }

  /**
   * Finds where a part's data ends. Clients write the next delimiter straight after the data, no CRLF
   * ([MS-WSMV 2.2.9.1.1]; pywinrm, pypsrp, Go, Ruby), so a delimiter exactly `expectedLength` bytes
   * after the header (optionally after a stray CRLF) is trusted first: the data may itself contain
   * the boundary text. Otherwise (CredSSP, where TLS overhead makes data longer than `Length`) the
   * first delimiter that is structurally a part start or the body's end wins.
   */
  findDataEnd(from: number, expectedLength: number): DataEnd | undefined {
    const exact = from + expectedLength;
    if (exact <= this.body.length) {
      const end = this.delimiterKind(exact, exact) ?? this.delimiterKind(exact + this.crlfLength(exact), exact);
      if (end !== undefined) return end;
    }
    for (let at = this.body.indexOf(this.boundary, from); at >= 0; at = this.body.indexOf(this.boundary, at + 1)) {
      const start = this.delimiterStartBefore(at, from);
      const end = start === undefined ? undefined : this.delimiterKind(start, start);
      if (end !== undefined) return end;
    }
    return undefined;
  }

  /** Classifies a delimiter at `pos`: the body's last line, or a line followed by a part header. */
  private delimiterKind(pos: number, dataEnd: number): DataEnd | undefined {
    const after = this.afterDelimiter(this.body, pos);
    if (after === undefined) return undefined;
    if (this.body[after] === DASH && this.body[after + 1] === DASH) {
      return this.onlyWhiteFrom(after + 2) ? { kind: 'close', dataEnd } : undefined;
    }
    let i = after;
    while (i < this.body.length && isBlank(this.body[i])) i++;
    if (i >= this.body.length) return { kind: 'close', dataEnd };
    const eol = this.crlfLength(i);
    if (eol === 0) return undefined;
    // Old pywinrm and WinRb's Kerberos transport end with `--Encrypted Boundary\r\n`, no `--`.
    if (this.onlyWhiteFrom(i + eol)) return { kind: 'close', dataEnd };
    const next = this.body.toString('latin1', i + eol, Math.min(this.body.length, i + eol + 64));
    return /^[ \t]*content-type[ \t]*:/i.test(next) ? { kind: 'next', dataEnd, nextPart: pos } : undefined;
  }

  /** If `buf` holds `--`, optional blanks, then the boundary at `pos`, the index just past it. */
  private afterDelimiter(buf: Buffer, pos: number): number | undefined {
    if (pos < 0 || buf[pos] !== DASH || buf[pos + 1] !== DASH) return undefined;
    let i = pos + 2;
    while (i < buf.length && isBlank(buf[i])) i++;
    const end = i + this.boundary.length;
    if (end > buf.length || this.boundary.length === 0) return undefined;
    return buf.compare(this.boundary, 0, this.boundary.length, i, end) === 0 ? end : undefined;
  }

  /** Walks back from a boundary match over blanks to its `--`, staying at or after `floor`. */
  private delimiterStartBefore(at: number, floor: number): number | undefined {
    let i = at - 1;
    while (i >= floor && isBlank(this.body[i])) i--;
    const start = i - 1;
    return start >= floor && this.body[i] === DASH && this.body[start] === DASH ? start : undefined;
  }

  private crlfLength(pos: number): number {
    if (this.body[pos] === CR && this.body[pos + 1] === LF) return 2;
    return this.body[pos] === LF ? 1 : 0;
  }

  private onlyWhiteFrom(pos: number): boolean {
    return this.skipBlank(pos) >= this.body.length;
  }
}

function isBlank(byte: number | undefined): boolean {
  return byte === SPACE || byte === TAB;
}

function isWhite(byte: number | undefined): boolean {
  return byte === SPACE || byte === TAB || byte === CR || byte === LF;
}
