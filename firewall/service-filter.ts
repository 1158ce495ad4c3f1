/**
 * Service.IPv4Filter and Service.IPv6Filter: WinRM's own address filters, checked after the
 * firewall. Windows' syntax: `*` for every address, or addresses and ranges `a-b` separated by
 * commas; an empty filter admits no address of its family, as an empty filter on Windows opens
 * no listener for that family.
 */
import { parseAddressRange, splitList } from './address-spec.js';
import { formatRange, parseIpAddress, rangeContains, singleAddressRange, type AddressRange, type IpAddress, type IpFamily } from './ip-address.js';
import { FirewallSyntaxError } from './syntax-error.js';

export type ServiceFilter = { readonly kind: 'any' } | { readonly kind: 'list'; readonly ranges: readonly AddressRange[] };

function parseItem(item: string, family: IpFamily): AddressRange {
  const address = parseIpAddress(item);
  const range = address === undefined ? parseAddressRange(item) : singleAddressRange(address);
  if (range === undefined) throw new FirewallSyntaxError(`'${item}' is not an address or a range a-b`);
  // A mapped IPv6 address parses as IPv4, which is what it matches, so only the family matters.
  if (range.family !== family) throw new FirewallSyntaxError(`'${item}' is not an IPv${family} address or range`);
  return range;
}

export function parseServiceFilter(text: string, family: IpFamily): ServiceFilter {
  const trimmed = text.trim();
  if (trimmed === '*') return { kind: 'any' };
  if (trimmed === '') return { kind: 'list', ranges: [] };
  return { kind: 'list', ranges: splitList(trimmed, `IPv${family}Filter`).map((item) => parseItem(item, family)) };
}

export function serviceFilterAdmits(filter: ServiceFilter, address: IpAddress): boolean {
  return filter.kind === 'any' || filter.ranges.some((range) => rangeContains(range, address));
}

export function formatServiceFilter(filter: ServiceFilter): string {
  if (filter.kind === 'any') return '*';
  return filter.ranges.length === 0 ? '(empty: none)' : filter.ranges.map(formatRange).join(', ');
}
