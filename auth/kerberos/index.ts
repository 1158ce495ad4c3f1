/** The Kerberos V5 acceptor [RFC 4120, RFC 4121, MS-KILE]: public names for the HTTP layer and SPNEGO. */
export { DEFAULT_ACCEPTED_SERVICES, DEFAULT_MAX_CLOCK_SKEW_MS, KerberosAcceptor, type KerberosAcceptorOptions } from './acceptor.js';
export { KerberosMessageError } from './errors.js';
export { type GssKrb5Token, type Krb5MechOid, TokId, buildGssKrb5Token, looksLikeKerberos, parseGssKrb5Token } from './gss-token.js';
export { DEFAULT_REPLAY_CACHE_ENTRIES, MemoryReplayCache, type MemoryReplayCacheOptions, type ReplayCache } from './replay-cache.js';
export type { ServiceKeyLookup, ServiceKeyRequest } from './verify-ap-req.js';
