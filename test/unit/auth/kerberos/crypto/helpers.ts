/** Shared by the Kerberos crypto and keytab tests. */

/** Hex (spaces and line breaks allowed, as the RFCs print it) to bytes. */
export const hex = (value: string): Buffer => Buffer.from(value.replace(/\s+/g, ''), 'hex');

/** A small seeded generator (xorshift32) so that a failing random case replays from its seed. */
export function seeded(seed: number): { int: (below: number) => number; bytes: (length: number) => Buffer } {
  let state = seed >>> 0 || 1;
  const int = (below: number): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % below;
  };
  const bytes = (length: number): Buffer => Buffer.from(Array.from({ length }, () => int(256)));
  return { int, bytes };
}
