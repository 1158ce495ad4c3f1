/** The NTLM acceptor (MS-NLMP): public names for the HTTP layer, SPNEGO and the account store. */
export {
  DEFAULT_MAX_CLOCK_SKEW_MS,
  NtlmAcceptor,
  type NtlmAcceptorOptions,
  type NtlmServerNames,
  SERVER_VERSION,
  looksLikeNtlm,
} from './acceptor.js';
export { type ChannelBindingPolicy, gssChannelBindingsHash, tlsServerEndPointHash } from './channel-bindings.js';
export { type NtlmAccount } from './verify-authenticate.js';
export { ntHash } from './nt-hash.js';
export { NtlmMessageError } from './wire.js';
export { formatOsVersion, parseOsVersion } from './os-version.js';
export { type NtlmVersion } from './wire.js';
