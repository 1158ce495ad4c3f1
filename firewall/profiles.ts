/**
 * Network profiles, as Windows assigns them to networks: Domain, Private or Public. winrmd gives
 * each local interface one through Firewall.Profiles (`eth0=Private,10.9.0.0/16=Domain`); the
 * rest get Firewall.DefaultProfile, except loopback, which is Private.
 */
import { parseAddressRange, splitList } from './address-spec.js';
import { cidrRange, formatRange, isLoopback, parseIpAddress, rangeContains, singleAddressRange, type AddressRange, type IpAddress } from './ip-address.js';
import { FirewallSyntaxError } from './syntax-error.js';

export const PROFILES = ['Domain', 'Private', 'Public'] as const;
export type Profile = (typeof PROFILES)[number];

/** The profile named in any case, or undefined. */
export function parseProfile(text: string): Profile | undefined {
  const lower = text.trim().toLowerCase();
  return PROFILES.find((profile) => profile.toLowerCase() === lower);
}

export function requireProfile(text: string): Profile {
  const profile = parseProfile(text);
  if (profile === undefined) throw new FirewallSyntaxError(`'${text.trim()}' is not a profile (Domain, Private or Public)`);
  return profile;
}

/** One `NAME=Profile` item: an interface by name, or every local address in a block. */
export type ProfileAssignment =
  | { readonly kind: 'interface'; readonly name: string; readonly profile: Profile }
  | { readonly kind: 'addresses'; readonly range: AddressRange; readonly profile: Profile };

function parseTarget(text: string): { kind: 'interface'; name: string } | { kind: 'addresses'; range: AddressRange } {
  const address = parseIpAddress(text);
  if (address !== undefined) return { kind: 'addresses', range: singleAddressRange(address) };
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const base = parseIpAddress(text.slice(0, slash));
    const length = text.slice(slash + 1);
    const range = base === undefined || !/^\d{1,3}$/.test(length) ? undefined : cidrRange(base, Number(length));
    if (range === undefined) throw new FirewallSyntaxError(`'${text}' is not a CIDR block`);
    return { kind: 'addresses', range };
  }
  const range = parseAddressRange(text);
  if (range !== undefined) return { kind: 'addresses', range };
  // Linux interface names: up to 15 bytes, no slash, colon or whitespace.
  if (!/^[^\s/:=,]{1,15}$/.test(text)) throw new FirewallSyntaxError(`'${text}' is not an interface name or a CIDR block`);
  return { kind: 'interface', name: text };
}

/** Parses Firewall.Profiles: `NAME=Profile` items separated by commas; the first match wins. */
export function parseProfileAssignments(text: string): ProfileAssignment[] {
  if (text.trim() === '') return [];
  return splitList(text, 'Firewall.Profiles').map((item) => {
    const equals = item.indexOf('=');
    if (equals < 0) throw new FirewallSyntaxError(`'${item}' should be INTERFACE=Profile or CIDR=Profile`);
    const target = parseTarget(item.slice(0, equals).trim());
    const profile = requireProfile(item.slice(equals + 1));
    return target.kind === 'interface' ? { kind: 'interface', name: target.name, profile } : { kind: 'addresses', range: target.range, profile };
  });
}

export function formatProfileAssignment(assignment: ProfileAssignment): string {
  const target = assignment.kind === 'interface' ? assignment.name : formatRange(assignment.range);
  return `${target}=${assignment.profile}`;
}

/** Why a local address got its profile, for `winrmd firewall show` and the drop log. */
export interface ProfileChoice {
  readonly profile: Profile;
  readonly source: string;
}

/** The interface a connection arrived on, as far as the firewall cares. */
export interface LocalInterface {
  readonly name: string;
  /** Node's `internal`: a loopback interface. */
  readonly internal: boolean;
}

/**
 * The profile of the interface that holds `localAddress` (`undefined` when no interface holds it
 * any more): the first Firewall.Profiles item naming that interface or covering the address, else
 * Private for loopback, else the default profile.
 */
export function chooseProfile(
  localAddress: IpAddress,
  localInterface: LocalInterface | undefined,
  assignments: readonly ProfileAssignment[],
  defaultProfile: Profile,
): ProfileChoice {
  for (const assignment of assignments) {
    const matches =
      assignment.kind === 'interface' ? assignment.name === localInterface?.name : rangeContains(assignment.range, localAddress);
    if (matches) return { profile: assignment.profile, source: `Firewall.Profiles ${formatProfileAssignment(assignment)}` };
  }
  if (isLoopback(localAddress) || localInterface?.internal === true) return { profile: 'Private', source: 'loopback' };
  return { profile: defaultProfile, source: 'Firewall.DefaultProfile' };
}
