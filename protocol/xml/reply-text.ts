/**
 * The text of a reply whose large base64 runs stay the bytes they encode until the reply is
 * written. A Receive reply is up to MaxEnvelopeSize (500 KB for many clients) of almost nothing
 * but base64: built as one JavaScript string and then encoded to UTF-8, it costs the base64
 * encoding once more in copying and transcoding (measured: 0.9 ms a reply, more than the base64
 * itself). Here the base64 goes straight into the reply's buffer, which ASCII allows byte for byte.
 */

/** A run of base64 text, kept as the bytes it encodes. */
interface Base64Run {
  readonly data: Buffer;
}

type Part = string | Base64Run;

export class ReplyText {
  private constructor(private readonly parts: readonly Part[]) {}

  /** The base64 text of `data`. */
  static base64(data: Buffer): ReplyText {
    return new ReplyText([{ data }]);
  }

  /** Text and other replies, one after another. */
  static join(pieces: readonly (string | ReplyText)[]): ReplyText {
    const parts: Part[] = [];
    for (const piece of pieces) {
      if (typeof piece === 'string') {
        if (piece !== '') parts.push(piece);
      } else {
        parts.push(...piece.parts);
      }
    }
    return new ReplyText(parts);
  }

  /** Its length in UTF-16 code units, as a string's `length`. */
  get length(): number {
    let length = 0;
    for (const part of this.parts) length += typeof part === 'string' ? part.length : base64Length(part.data);
    return length;
  }

  /** Its length encoded as UTF-8. */
  byteLength(): number {
    let bytes = 0;
    for (const part of this.parts) bytes += typeof part === 'string' ? Buffer.byteLength(part, 'utf8') : base64Length(part.data);
    return bytes;
  }

  toString(): string {
    return this.parts.map((part) => (typeof part === 'string' ? part : part.data.toString('base64'))).join('');
  }

  /** Its UTF-8 bytes, in memory from `allocate` (which need not initialise it). */
  toUtf8(allocate: (size: number) => Buffer = (size) => Buffer.allocUnsafe(size)): Buffer {
    const out = allocate(this.byteLength());
    let offset = 0;
    for (const part of this.parts) {
      offset += typeof part === 'string' ? out.write(part, offset, 'utf8') : writeBase64(out, offset, part.data);
    }
    return out;
  }
}

/**
 * Bytes per piece when encoding base64 into a buffer: a multiple of 3, so the pieces join without
 * padding between them. Node encodes only to a string; one string for a whole reply lands in V8's
 * large-object space and brought a full garbage collection every twenty Receives or so (a fifth of
 * the listener's time in the stdout benchmark), and encoding 375 KB at once ran four times slower
 * than in 12 KB pieces, which stay in the young generation and in the CPU's cache.
 */
const BASE64_PIECE_BYTES = 12 * 1024;

/** Writes the base64 of `data` into `out` at `offset`; returns the bytes written. */
function writeBase64(out: Buffer, offset: number, data: Buffer): number {
  let written = 0;
  for (let start = 0; start < data.length; start += BASE64_PIECE_BYTES) {
    // Base64 is ASCII: as Latin-1 each character is its own byte, as in UTF-8.
    written += out.write(data.subarray(start, start + BASE64_PIECE_BYTES).toString('base64'), offset + written, 'latin1');
  }
  return written;
}

/** Text of an envelope that may carry base64 kept as bytes. */
export type EnvelopeText = string | ReplyText;

/** The byte length of an envelope's text in UTF-8. */
export function utf8Length(text: EnvelopeText): number {
  return typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : text.byteLength();
}

function base64Length(data: Buffer): number {
  return Math.ceil(data.length / 3) * 4;
}
