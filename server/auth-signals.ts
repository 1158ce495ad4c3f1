/**
 * What the authentication gate tells its observer about an attempt: who (the peer), and why a
 * logon failed in the terms of Windows' status codes. The acceptors give their reasons as text;
 * the few that matter for SubStatus are recognised here, in one place.
 */
import type { LogonFailure, Peer } from '../events/signals.js';
import type { AuthAttempt } from './auth-gate.js';

export function peerOf(attempt: AuthAttempt): Peer {
  return { connectionId: attempt.connectionId, remoteAddress: attempt.remoteAddress, remotePort: attempt.remotePort };
}

/** NTLM's 'unknown user' and 'wrong password (...)', Kerberos' clock skew refusals; the rest are protocol refusals. */
export function failureOf(reason: string): LogonFailure {
  const text = reason.toLowerCase();
  if (text.includes('unknown user') || text.includes('account vanished')) return 'unknown-user';
  if (text.includes('wrong password')) return 'wrong-password';
  if (text.includes('skew')) return 'clock-skew';
  return 'refused';
}

/** `DOMAIN\user` (as NTLM failures name the client) into its parts; a bare name has no domain. */
export function splitAccount(name: string): { readonly user: string; readonly domain: string } {
  const slash = name.indexOf('\\');
  return slash < 0 ? { user: name, domain: '' } : { user: name.slice(slash + 1), domain: name.slice(0, slash) };
}
