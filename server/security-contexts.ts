import { hostname } from 'node:os';
import { localAccountName } from '../auth/basic.js';
import { KerberosAcceptor, looksLikeKerberos } from '../auth/kerberos/index.js';
import { looksLikeNtlm, NtlmAcceptor, type ChannelBindingPolicy, type NtlmServerNames, type NtlmVersion } from '../auth/ntlm/index.js';
import type { SecurityContext } from '../auth/security-context.js';
import { withSpnegoMic } from '../auth/spnego/gss-mic-adapter.js';
import { looksLikeSpnego } from '../auth/spnego/neg-token.js';
import { SpnegoAcceptor } from '../auth/spnego/negotiate-acceptor.js';
import type { Config } from '../config/index.js';
import type { UserStore } from '../users/index.js';
import type { ContextFactory } from './auth-gate.js';
import type { KerberosService } from './kerberos-setup.js';

export interface ContextSettings {
  readonly users: UserStore;
  readonly names: NtlmServerNames;
  /** The OS version in the CHALLENGE (Winrmd.OsVersion); the acceptor's default when undefined. */
  readonly ntlmVersion?: NtlmVersion | undefined;
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
        version: settings.ntlmVersion,
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
 * name's first label in capitals (at most 15 characters); outside a domain the NetBIOS domain is
 * that name again, and the DNS domain is the host name's domain part or, without one, the host
 * name itself (nmap's ntlm-info shows all four equal for a workgroup machine).
 */
export function defaultNtlmNames(computerName: string = hostname()): NtlmServerNames {
  const dnsComputer = computerName.toLowerCase();
  const netbios = (dnsComputer.split('.')[0] ?? dnsComputer).toUpperCase().slice(0, 15);
  const dnsDomain = dnsComputer.includes('.') ? dnsComputer.slice(dnsComputer.indexOf('.') + 1) : dnsComputer;
  return { netbiosComputer: netbios, netbiosDomain: netbios, dnsComputer, dnsDomain };
}

/** The settings that name the host in the CHALLENGE; an empty one takes its default from the host. */
export type NtlmNameSettings = Pick<
  Config,
  'Winrmd.NetbiosComputerName' | 'Winrmd.NetbiosDomainName' | 'Winrmd.DnsComputerName' | 'Winrmd.DnsDomainName'
>;

/**
 * The CHALLENGE's names from the configuration: each set name as given, the rest as
 * defaultNtlmNames derives them, from Winrmd.DnsComputerName when that is set, else from
 * `computerName` (Winrmd.ComputerName or the host name).
 */
export function configuredNtlmNames(settings: NtlmNameSettings, computerName: string = hostname()): NtlmServerNames {
  const set = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
  const dnsComputer = set(settings['Winrmd.DnsComputerName']);
  const defaults = defaultNtlmNames(dnsComputer ?? computerName);
  const netbiosComputer = set(settings['Winrmd.NetbiosComputerName']) ?? defaults.netbiosComputer;
  return {
    netbiosComputer,
    // Outside a domain the NetBIOS domain follows the NetBIOS computer name, even a configured one.
    netbiosDomain: set(settings['Winrmd.NetbiosDomainName']) ?? netbiosComputer,
    dnsComputer: dnsComputer ?? defaults.dnsComputer,
    dnsDomain: set(settings['Winrmd.DnsDomainName']) ?? defaults.dnsDomain,
  };
}
