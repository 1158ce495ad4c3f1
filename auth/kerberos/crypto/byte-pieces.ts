/**
 * A message held as pieces whose concatenation is the message. The sealing of a WinRM reply runs
 * half a megabyte through several steps (header copy appended, confounder prepended, rotation,
 * the token cut into MIME header and data); joining the bytes at each step cost a copy of the
 * whole message per step, and the garbage collector's work for each (bench/README.md, eighth run).
 * Pieces are views: nothing here copies except where a range spans pieces and a caller asks for
 * one Buffer.
 */

export type BytePieces = readonly Uint8Array[];

export function piecesLength(pieces: BytePieces): number {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  return length;
}

/** The pieces covering bytes [start, end) of the whole, as views. */
export function slicePieces(pieces: BytePieces, start: number, end: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let offset = 0;
  for (const piece of pieces) {
    const from = Math.max(start - offset, 0);
    const to = Math.min(end - offset, piece.length);
    if (from < to) out.push(piece.subarray(from, to));
    offset += piece.length;
    if (offset >= end) break;
  }
  return out;
}

/** Bytes [start, end) as one Buffer: a view when they lie in one piece, else a copy. */
export function bufferOfPieces(pieces: BytePieces, start: number, end: number): Buffer {
  const covering = slicePieces(pieces, start, end);
  const only = covering[0];
  if (covering.length === 1 && only !== undefined) return Buffer.from(only.buffer, only.byteOffset, only.byteLength);
  const out = Buffer.alloc(end - start);
  copyPieces(covering, out, 0);
  return out;
}

/** Writes the pieces one after another into `target` from `offset`; returns the offset after them. */
export function copyPieces(pieces: BytePieces, target: Uint8Array, offset: number): number {
  let at = offset;
  for (const piece of pieces) {
    target.set(piece, at);
    at += piece.length;
  }
  return at;
}

/** RFC 4121 §4.2.5's rotation to the right by `count` (modulo the length), as views. */
export function rotatePiecesRight(pieces: BytePieces, count: number): Uint8Array[] {
  const length = piecesLength(pieces);
  if (length === 0) return [...pieces];
  const shift = count % length;
  if (shift === 0) return [...pieces];
  return [...slicePieces(pieces, length - shift, length), ...slicePieces(pieces, 0, length - shift)];
}
