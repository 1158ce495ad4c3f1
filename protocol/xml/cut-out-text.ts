/**
 * A Send's stream content, cut out of the request's text before the parse and kept as its bytes.
 *
 * A Send of 500 KB is almost all one run of base64. Made into one JavaScript string with the rest
 * of the envelope, it is a V8 large object: a page mapped for it on every request and unmapped after
 * the next collection, and its copy, cost a fifth of the listener's time in a stdin transfer
 * (bench/README.md, sixteenth run). Cut out, the parse sees a marker in its place, and the base64 is
 * decoded from the bytes (protocol/whole-base64.ts).
 */
export interface CutOutText {
  /** What stands in the text where the run was: not base64, so no real content can be it. */
  readonly marker: string;
  /** Where the marker is in the text. */
  readonly at: number;
  /** The run's bytes (ASCII). */
  readonly bytes: Buffer;
}

/** Smaller bodies are cheap to take whole; a shorter run is not worth the cut. */
const MIN_BODY_BYTES = 256 * 1024;
const MIN_RUN_BYTES = 64 * 1024;
const LT = 0x3c;
const GT = 0x3e;

/** The start tag a run may follow: a Stream element's, of any prefix, not self-closing. */
const STREAM_START_TAG = /^<(?:[A-Za-z_][\w.-]*:)?Stream(?:\s[^>]*)?>$/;

/**
 * The text of an ASCII body with its first long Stream content cut out, or undefined when there is
 * none to cut. A run after a comment, CDATA section or processing instruction stays (its '<' may
 * not open a tag). Whether the cut reads as the whole text would is settled after the parse: the
 * marker must be a Send's stream content, and the run whole base64, which holds no reference, no
 * ']]>' and no line break (server/wsman-dispatch.ts); anything else is parsed whole.
 *
 * `marker` stands in the text for the run: it must not be base64, and should be unknown to clients
 * (the caller draws it at random per process, server/request-text.ts), so that none can write it
 * into another element to have the cut content stand there (the dispatcher also checks where it
 * landed, send.ts).
 */
export function cutOutStreamContent(bytes: Buffer, marker: string): { text: string; cutOut: CutOutText } | undefined {
  if (bytes.length < MIN_BODY_BYTES) return undefined;
  let previous = bytes.indexOf(LT);
  while (previous >= 0) {
    const next = bytes.indexOf(LT, previous + 1);
    if (next < 0) return undefined;
    if (next - previous > MIN_RUN_BYTES) {
      const tagEnd = bytes.indexOf(GT, previous);
      const start = tagEnd + 1;
      if (tagEnd < 0 || start >= next) return undefined;
      const tag = bytes.toString('latin1', previous, start);
      if (!STREAM_START_TAG.test(tag) || tag.endsWith('/>')) return undefined;
      const run = bytes.subarray(start, next);
      const head = bytes.toString('latin1', 0, start);
      if (/<[!?]/.test(head.replace(/^<\?xml\s[^>]*\?>/, ''))) return undefined;
      return {
        text: `${head}${marker}${bytes.toString('latin1', next)}`,
        cutOut: { marker, at: head.length, bytes: run },
      };
    }
    previous = next;
  }
  return undefined;
}

/** A cut-out Send content once decoded: what the marker stands for in the parsed Stream. */
export interface CutOutData {
  readonly marker: string;
  readonly data: Buffer;
}

/** The whole text again, for a transcript or a logged body. */
export function restoreCutOut(text: string, cutOut: CutOutText | undefined): string {
  if (cutOut === undefined) return text;
  return `${text.slice(0, cutOut.at)}${cutOut.bytes.toString('latin1')}${text.slice(cutOut.at + cutOut.marker.length)}`;
}
