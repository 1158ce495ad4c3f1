import { hostname } from 'node:os';
import { localAccountName } from '../auth/basic.js';
import { KerberosAcceptor, looksLikeKerberos } from '../auth/kerberos/index.js';
import { looksLikeNtlm, NtlmAcceptor, type ChannelBindingPolicy, type NtlmServerNames } from '../auth/ntlm/index.js';
import type { SecurityContext } from '../auth/security-context.js';
import { withSpnegoMic } from '../auth/spnego/gss-mic-adapter.js';
import { looksLikeSpnego } from '../auth/spnego/neg-token.js';
import { SpnegoAcceptor } from '../auth/spnego/negotiate-acceptor.js';
import type { UserStore } from '../users/index.js';
import type { ContextFactory } from './auth-gate.js';
import type { KerberosService } from './kerberos-setup.js';

export interface ContextSettings {
  readonly users: UserStore;
  readonly names: NtlmServerNames;
  /** MD5 of the HTTPS listener's channel bindings; NTLM on HTTPS compares the client's with it. */
  readonly httpsChannelBindingHash: Buffer | undefined;
  readonly channelBindingPolicy: ChannelBindingPolicy;
  /** Undefined when no usable keytab was found: then Kerberos tokens are refused. */
  readonly kerberos: KerberosService | undefined;
}

/**
 * Chooses the acceptor for the first token of a Negotiate (or NTLM) handshake: raw NTLMSSP, as
 * pywinrm, requests-ntlm, curl and Go's clients send it, or SPNEGO wrapping NTLM, as Windows and
 * pyspnego send it; a raw Kerberos AP-REQ (pywinrm, the Kerberos scheme), or SPNEGO offering
 * Kerberos, when a keytab gave us keys.
 */
export function createContextFactory(settings: ContextSettings): ContextFactory {
  return (firstToken, isTls) => {
    const ntlm = (): NtlmAcceptor =>
      new NtlmAcceptor({
        // NTLM has no domains here: any domain the client names maps to the local account (like Basic).
        lookupAccount: async (userName) => {
          const account = await settings.users.ntlmAccount(localAccountName(userName));
          return account === undefined ? undefined : { accountName: account.name, ntHash: account.ntHash };
        },
        names: settings.names,
        channelBindingHash: isTls ? settings.httpsChannelBindingHash : undefined,
        channelBindingPolicy: settings.channelBindingPolicy,
      });
    const { kerberos } = settings;
    const krb5 = (): KerberosAcceptor | undefined =>
      kerberos === undefined
        ? undefined
        : new KerberosAcceptor({
            keys: kerberos.keys,
            acceptedRealms: kerberos.acceptedRealms,
            maxClockSkewMs: kerberos.maxClockSkewMs,
            replayCache: kerberos.replayCache,
            channelBindingHash: isTls ? settings.httpsChannelBindingHash : undefined,
            channelBindingPolicy: settings.channelBindingPolicy,
          });
    if (looksLikeNtlm(firstToken)) return ntlm();
    if (looksLikeKerberos(firstToken)) return krb5();
    // Under SPNEGO the mechListMIC exchange uses NTLM's signing and resets its RC4 state.
    if (looksLikeSpnego(firstToken)) {
      return new SpnegoAcceptor((mech): SecurityContext | undefined => (mech === 'NTLM' ? withSpnegoMic(ntlm()) : krb5()));
    }
    return undefined;
  };
}

/**
 * The names a standalone Windows host puts in its NTLM CHALLENGE: the NetBIOS name is the host
 * name's first label in capitals (at most 15 characters), and with no domain the host's own name
 * stands for the domain too.
 */
export function defaultNtlmNames(computerName: string = hostname()): NtlmServerNames {
  const dnsComputer = computerName.toLowerCase();
  const netbios = (dnsComputer.split('.')[0] ?? dnsComputer).toUpperCase().slice(0, 15);
  const dnsDomain = dnsComputer.includes('.') ? dnsComputer.slice(dnsComputer.indexOf('.') + 1) : '';
  return { netbiosComputer: netbios, netbiosDomain: netbios, dnsComputer, dnsDomain };
}
