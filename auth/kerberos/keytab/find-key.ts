import type { KeytabEntry } from './keytab.js';

/**
 * Choosing the keytab key for a ticket (RFC 4120 3.2.3: the server's key is found from the ticket's
 * sname, realm, enc-part etype and kvno).
 *
 * Names are compared case-insensitively, the realm included. MIT compares principals exactly, but
 * Active Directory treats SPNs and realm names case-insensitively, and Windows clients put the host
 * name into the SPN in whatever case the user typed it. Loosening the match is safe: it only picks a
 * key, and a ticket that was not made with that key fails to decrypt. When several entries match
 * and differ only in case, an exact-case match is preferred.
 */

export interface KeyQuery {
  /** The ticket's sname components, e.g. ['HTTP', 'srv01.example.com']. */
  readonly components: readonly string[];
  /** The ticket's realm; any realm when absent. */
  readonly realm?: string | undefined;
  /** EncryptedData kvno; absent means "the newest key" (highest kvno). */
  readonly kvno?: number | undefined;
  readonly enctype: number;
}

const fold = (text: string): string => text.toLowerCase();

/** 2: exact case, 1: equal ignoring case, 0: different. */
function nameMatch(entry: KeytabEntry, query: KeyQuery): number {
  const { components, realm } = entry.principal;
  if (components.length !== query.components.length) return 0;
  let exact = true;
  for (let i = 0; i < components.length; i++) {
    const have = components[i] ?? '';
    const want = query.components[i] ?? '';
    if (have !== want) {
      if (fold(have) !== fold(want)) return 0;
      exact = false;
    }
  }
  if (query.realm !== undefined && realm !== query.realm) {
    if (fold(realm) !== fold(query.realm)) return 0;
    exact = false;
  }
  return exact ? 2 : 1;
}

/**
 * 2: same kvno, 1: the entry only had the 8-bit kvno and it equals the ticket's kvno modulo 256
 * (kvnos past 255 wrap in old keytabs), 0: different.
 */
function kvnoMatch(entry: KeytabEntry, kvno: number): number {
  if (entry.kvno === kvno) return 2;
  return entry.kvno <= 0xff && entry.kvno === (kvno & 0xff) ? 1 : 0;
}

/**
 * The entry for `query`: same enctype, matching name, and the given kvno or else the highest one.
 * Ties go to the better kvno match, then to the exact-case name, then to the earlier entry (MIT
 * keeps the first of equal kvnos too). Undefined when nothing matches: a caller that got a kvno
 * from the ticket may retry without it, as a keytab exported before a password change can lag.
 */
export function findKey(entries: readonly KeytabEntry[], query: KeyQuery): KeytabEntry | undefined {
  let best: { entry: KeytabEntry; rank: readonly number[] } | undefined;
  for (const entry of entries) {
    if (entry.enctype !== query.enctype) continue;
    const name = nameMatch(entry, query);
    if (name === 0) continue;
    const version = query.kvno === undefined ? entry.kvno : kvnoMatch(entry, query.kvno);
    if (version === 0 && query.kvno !== undefined) continue;
    const rank = [version, name];
    if (best === undefined || isBetter(rank, best.rank)) best = { entry, rank };
  }
  return best?.entry;
}

/** Lexicographic "strictly greater", so the earlier entry wins a tie. */
function isBetter(rank: readonly number[], than: readonly number[]): boolean {
  for (let i = 0; i < rank.length; i++) {
    const a = rank[i] ?? 0;
    const b = than[i] ?? 0;
    if (a !== b) return a > b;
  }
  return false;
}
