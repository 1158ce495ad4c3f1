/**
 * IP addresses as numbers, so that CIDR blocks, ranges and subnets are plain comparisons. An
 * IPv4-mapped IPv6 address (`::ffff:192.0.2.7`, what a dual-stack socket reports for an IPv4 peer)
 * is the IPv4 address it carries: a rule written for 192.0.2.0/24 must match it.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

/** An inclusive range of one family: a single address, a CIDR block or `a-b`. */
export interface AddressRange {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
}

const BITS: Readonly<Record<IpFamily, number>> = { 4: 32, 6: 128 };
const MAPPED_PREFIX = 0xffffn << 32n;
const IPV4_MASK = 0xffff_ffffn;

function parseIpv4(text: string): bigint {
  return text.split('.').reduce((sum, part) => (sum << 8n) | BigInt(Number(part)), 0n);
}

/** Expands `::` and a dotted IPv4 tail into eight 16-bit groups; the text is already valid IPv6. */
function parseIpv6(text: string): bigint {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    // `::ffff:192.0.2.7` is `::ffff:c000:207`: rewrite the dotted tail as two hex groups.
    const v4 = parseIpv4(body.slice(lastColon + 1));
    body = `${body.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = body.split('::');
  const toGroups = (part: string): bigint[] => (part === '' ? [] : part.split(':').map((group) => BigInt(`0x${group}`)));
  const before = toGroups(head);
  const after = rest === undefined ? [] : toGroups(rest);
  const zeros = Array<bigint>(8 - before.length - after.length).fill(0n);
  return [...before, ...zeros, ...after].reduce((sum, group) => (sum << 16n) | group, 0n);
}

/**
 * The address in `text`, or undefined when it is not one. A zone (`fe80::1%eth0`) is dropped:
 * rules and filters name addresses, not links.
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  const trimmed = text.trim();
  if (isIPv4(trimmed)) return { family: 4, value: parseIpv4(trimmed) };
  const unzoned = trimmed.split('%')[0] ?? '';
  if (!isIPv6(unzoned)) return undefined;
  const value = parseIpv6(unzoned);
  if (value >> 32n === MAPPED_PREFIX >> 32n) return { family: 4, value: value & IPV4_MASK };
  return { family: 6, value };
}

function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: the longest run of two or more zero groups becomes `::` (the first one on a tie).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function formatIpAddress(address: IpAddress): string {
  if (address.family === 6) return formatIpv6(address.value);
  return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 0xffn)).join('.');
}

/** The block of `prefixLength` bits around `address`, or undefined for an impossible length. */
export function cidrRange(address: IpAddress, prefixLength: number): AddressRange | undefined {
  const bits = BITS[address.family];
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > bits) return undefined;
  const hostBits = BigInt(bits - prefixLength);
  const hostMask = (1n << hostBits) - 1n;
  const first = address.value & ~hostMask & ((1n << BigInt(bits)) - 1n);
  return { family: address.family, first, last: first | hostMask };
}

export function singleAddressRange(address: IpAddress): AddressRange {
  return { family: address.family, first: address.value, last: address.value };
}

export function rangeContains(range: AddressRange, address: IpAddress): boolean {
  return range.family === address.family && address.value >= range.first && address.value <= range.last;
}

/** `a.b.c.d/n` when the range is exactly a CIDR block, the address when it is one, else `a-b`. */
export function formatRange(range: AddressRange): string {
  const first = formatIpAddress({ family: range.family, value: range.first });
  if (range.first === range.last) return first;
  const size = range.last - range.first + 1n;
  const isPowerOfTwo = (size & (size - 1n)) === 0n;
  if (isPowerOfTwo && range.first % size === 0n) {
    const prefixLength = BITS[range.family] - (size.toString(2).length - 1);
    return `${first}/${prefixLength}`;
  }
  return `${first}-${formatIpAddress({ family: range.family, value: range.last })}`;
}

export function isLoopback(address: IpAddress): boolean {
  return address.family === 4 ? address.value >> 24n === 127n : address.value === 1n;
}
