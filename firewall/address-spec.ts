/**
 * The remote-address syntax of firewall rules, as Windows' `New-NetFirewallRule -RemoteAddress`
 * takes it: `*` (or Any), `LocalSubnet`, a single address, a CIDR block or a range `a-b`, IPv4 or
 * IPv6. Service.IPv4Filter/IPv6Filter use the narrower WinRM syntax (addresses and ranges only).
 */
import { cidrRange, formatRange, parseIpAddress, rangeContains, singleAddressRange, type AddressRange, type IpAddress } from './ip-address.js';
import { FirewallSyntaxError } from './syntax-error.js';

export type RemoteAddressSpec =
  | { readonly kind: 'any' }
  | { readonly kind: 'local-subnet' }
  | { readonly kind: 'range'; readonly range: AddressRange };

/** A range written `a-b` (both ends one family, a <= b), or undefined when the text is not one. */
export function parseAddressRange(text: string): AddressRange | undefined {
  const dash = text.indexOf('-');
  if (dash < 0) return undefined;
  const first = parseIpAddress(text.slice(0, dash));
  const last = parseIpAddress(text.slice(dash + 1));
  if (first === undefined || last === undefined) return undefined;
  if (first.family !== last.family) throw new FirewallSyntaxError(`range '${text}' mixes IPv4 and IPv6`);
  if (first.value > last.value) throw new FirewallSyntaxError(`range '${text}' ends before it starts`);
  return { family: first.family, first: first.value, last: last.value };
}

function parseCidr(text: string): AddressRange | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpAddress(text.slice(0, slash));
  const lengthText = text.slice(slash + 1).trim();
  if (address === undefined || !/^\d{1,3}$/.test(lengthText)) return undefined;
  const range = cidrRange(address, Number(lengthText));
  if (range === undefined) throw new FirewallSyntaxError(`'${text}' has a prefix length too long for its address`);
  return range;
}

export function parseRemoteAddress(text: string): RemoteAddressSpec {
  const trimmed = text.trim();
  const lower = trimmed.toLowerCase();
  if (lower === '*' || lower === 'any') return { kind: 'any' };
  if (lower === 'localsubnet') return { kind: 'local-subnet' };
  const address = parseIpAddress(trimmed);
  const range = address === undefined ? (parseCidr(trimmed) ?? parseAddressRange(trimmed)) : singleAddressRange(address);
  if (range === undefined) {
    throw new FirewallSyntaxError(`'${trimmed}' is not *, LocalSubnet, an address, a CIDR block or a range a-b`);
  }
  return { kind: 'range', range };
}

export function formatRemoteAddress(spec: RemoteAddressSpec): string {
  if (spec.kind === 'any') return '*';
  if (spec.kind === 'local-subnet') return 'LocalSubnet';
  return formatRange(spec.range);
}

/** Whether `address` is in `spec`; LocalSubnet means any subnet of the host's interfaces. */
export function remoteAddressMatches(spec: RemoteAddressSpec, address: IpAddress, localSubnets: readonly AddressRange[]): boolean {
  if (spec.kind === 'any') return true;
  if (spec.kind === 'local-subnet') return localSubnets.some((subnet) => rangeContains(subnet, address));
  return rangeContains(spec.range, address);
}

/** `a, b ,c` and `['a', 'b']` both become `['a', 'b', 'c']`; empty items are a mistake. */
export function splitList(text: string, what: string): string[] {
  const items = text.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new FirewallSyntaxError(`${what} '${text}' has an empty item`);
  return items;
}
