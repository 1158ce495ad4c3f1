/**
 * Kerberos set-ups shared by the benchmarks: an acceptor over one in-memory service key (no keytab
 * file, so only the protocol work is measured), with tickets and AP-REQs from the unit tests'
 * test-only KDC and the initiator from their test-initiator as the client side.
 */
import { DEFAULT_REPLAY_CACHE_ENTRIES, KerberosAcceptor, MemoryReplayCache, type ReplayCache } from '../../auth/kerberos/index.js';
import {
  type BuiltApReq,
  type IssuedTicket,
  NOW,
  REALM,
  type TestKey,
  buildApReq,
  issueTicket,
  randomKey,
} from '../../test/unit/auth/kerberos/test-kdc.js';
import { TestInitiator } from '../../test/unit/auth/kerberos/test-initiator.js';

/** RFC 3961 etype numbers of the two AES families the benchmarks compare. */
export const AES256_SHA1 = 18;
export const AES128_SHA256 = 19;

const KVNO = 3;
const SERVICE_PRINCIPAL = 'http/srv01.example.com';

/** One host's keytab entry for HTTP/srv01.example.com@EXAMPLE.COM and a ticket a KDC issued in it. */
export interface KerberosService {
  readonly key: TestKey;
  readonly issued: IssuedTicket;
}

export function kerberosService(etype: number): KerberosService {
  const key = randomKey(etype);
  // The session key shares the service key's etype, as a KDC picks for an AES-only host.
  return { key, issued: issueTicket({ serviceKey: key, kvno: KVNO }) };
}

/**
 * The server's replay cache: one per server, shared by every connection (server/kerberos-setup.ts).
 * Its clock is the test KDC's "now", so no entry expires while a benchmark runs.
 */
export function replayCache(): MemoryReplayCache {
  return new MemoryReplayCache({ now: () => NOW.getTime() });
}

/**
 * A cache at its bound (DEFAULT_REPLAY_CACHE_ENTRIES) with nothing expired, as a sustained logon
 * flood leaves it: every accept then scans all entries for expired ones before dropping the oldest.
 */
export function fullReplayCache(): MemoryReplayCache {
  const cache = replayCache();
  const expiresAt = NOW.getTime() + 10 * 60_000;
  for (let i = 0; cache.size < DEFAULT_REPLAY_CACHE_ENTRIES; i++) cache.add(`filler-${i}`, expiresAt);
  return cache;
}

/** A fresh acceptor as the server makes one per connection; the lookup matches what a keytab holds. */
export function newKerberosAcceptor(svc: KerberosService, cache: ReplayCache): KerberosAcceptor {
  return new KerberosAcceptor({
    keys: (request) =>
      request.serviceComponents.join('/').toLowerCase() === SERVICE_PRINCIPAL &&
      request.realm === REALM &&
      (request.kvno === undefined || request.kvno === KVNO) &&
      request.enctype === svc.key.etype
        ? svc.key.key
        : undefined,
    acceptedRealms: [REALM],
    now: () => NOW,
    replayCache: cache,
  });
}

/** The client's first token with a fresh authenticator (new subkey, so a new replay-cache key). */
export function newApReq(svc: KerberosService, index = 0): BuiltApReq {
  return buildApReq({ issued: svc.issued, cusec: index % 1_000_000 });
}

/** One AP-REQ on a fresh acceptor; returns the AP-REP, throws unless the context completes with one. */
export async function acceptApReq(acceptor: KerberosAcceptor, token: Buffer): Promise<Buffer> {
  const result = await acceptor.step(token);
  // A benchmark that quietly measured the refusal path (a replay, say) would report a meaningless number.
  if (result.kind !== 'complete') throw new Error(`Kerberos step gave ${result.kind}${result.kind === 'failed' ? `: ${result.reason}` : ''}`);
  if (result.token === undefined) throw new Error('Kerberos context completed without an AP-REP');
  return result.token;
}

/** Both sides of an established context, with the acceptor subkey from the AP-REP (as WinRM clients get). */
export async function establishKerberos(etype: number): Promise<{ acceptor: KerberosAcceptor; initiator: TestInitiator }> {
  const svc = kerberosService(etype);
  const built = newApReq(svc);
  const acceptor = newKerberosAcceptor(svc, replayCache());
  const apRep = await acceptApReq(acceptor, built.token);
  return { acceptor, initiator: TestInitiator.fromApRep(apRep, built, svc.issued) };
}

/**
 * AP-REQs built before timing starts, each used once: the replay cache refuses a repeat, and
 * building one costs about as much as accepting it, so building inside the loop would halve the
 * figure. Sized from the benchmark's fixed iteration count; running dry is an error, not a reuse.
 */
export class ApReqBatch {
  readonly #tokens: Buffer[];
  #next = 0;

  constructor(svc: KerberosService, count: number) {
    this.#tokens = Array.from({ length: count }, (_, index) => newApReq(svc, index).token);
  }

  take(): Buffer {
    const token = this.#tokens[this.#next];
    if (token === undefined) throw new Error(`AP-REQ batch of ${this.#tokens.length} used up: raise its size with the iteration count`);
    this.#next += 1;
    return token;
  }
}
