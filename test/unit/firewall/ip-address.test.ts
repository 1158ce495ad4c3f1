/** Address parsing and printing: the ground the rules stand on, IPv4, IPv6 and mapped addresses. */
import { describe, expect, it } from 'vitest';
import { cidrRange, formatIpAddress, formatRange, isLoopback, parseIpAddress, rangeContains } from '../../../firewall/ip-address.js';

function parse(text: string): { family: number; value: bigint } | undefined {
  return parseIpAddress(text);
}

describe('parseIpAddress', () => {
  it('reads IPv4 and IPv6 as numbers', () => {
    expect(parse('192.0.2.7')).toEqual({ family: 4, value: 0xc0000207n });
    expect(parse('::1')).toEqual({ family: 6, value: 1n });
    expect(parse('2001:db8::1')).toEqual({ family: 6, value: (0x20010db8n << 96n) | 1n });
    expect(parse('2001:DB8:0:0:0:0:0:1')).toEqual(parse('2001:db8::1'));
    expect(parse('fe80::1:2')).toEqual({ family: 6, value: (0xfe80n << 112n) | (1n << 16n) | 2n });
  });

  it('treats IPv4-mapped IPv6 as the IPv4 address it carries, in either notation', () => {
    expect(parse('::ffff:192.0.2.7')).toEqual({ family: 4, value: 0xc0000207n });
    expect(parse('::FFFF:c000:0207')).toEqual({ family: 4, value: 0xc0000207n });
    // IPv4-compatible (deprecated ::a.b.c.d) is not mapped: it stays IPv6.
    expect(parse('::192.0.2.7')).toEqual({ family: 6, value: 0xc0000207n });
  });

  it('drops a zone index', () => {
    expect(parse('fe80::1%eth0')).toEqual(parse('fe80::1'));
  });

  it('refuses what is not an address', () => {
    for (const bad of ['', 'localhost', '192.0.2', '192.0.2.256', '1.2.3.4.5', '2001:db8::1::2', ':::', '10.0.0.0/8', ' 1.2.3.4x']) {
      expect(parse(bad), bad).toBeUndefined();
    }
  });
});

describe('formatting', () => {
  it('prints IPv6 in RFC 5952 form', () => {
    const round = (text: string): string => {
      const address = parseIpAddress(text);
      if (address === undefined) throw new Error(text);
      return formatIpAddress(address);
    };
    expect(round('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(round('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1');
    expect(round('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(round('::')).toBe('::');
    expect(round('1:2:3:4:5:6:7:8')).toBe('1:2:3:4:5:6:7:8');
    expect(round('10.1.2.3')).toBe('10.1.2.3');
  });

  it('prints ranges as CIDR blocks when they are one', () => {
    const block = (text: string, length: number) => {
      const address = parseIpAddress(text);
      if (address === undefined) throw new Error(text);
      const range = cidrRange(address, length);
      if (range === undefined) throw new Error(`${text}/${length}`);
      return range;
    };
    expect(formatRange(block('10.9.8.7', 16))).toBe('10.9.0.0/16');
    expect(formatRange(block('2001:db8:1:2::5', 64))).toBe('2001:db8:1:2::/64');
    expect(formatRange(block('0.0.0.0', 0))).toBe('0.0.0.0/0');
    expect(formatRange(block('10.0.0.1', 32))).toBe('10.0.0.1');
    expect(formatRange({ family: 4, first: 10n, last: 12n })).toBe('0.0.0.10-0.0.0.12');
  });
});

describe('cidrRange and rangeContains', () => {
  it('masks the host bits and includes both ends', () => {
    const base = parseIpAddress('10.1.2.3');
    if (base === undefined) throw new Error('parse');
    const range = cidrRange(base, 24);
    expect(range).toEqual({ family: 4, first: 0x0a010200n, last: 0x0a0102ffn });
    if (range === undefined) return;
    for (const [text, inside] of [['10.1.2.0', true], ['10.1.2.255', true], ['10.1.3.0', false], ['::ffff:10.1.2.9', true], ['::a01:209', false]] as const) {
      const address = parseIpAddress(text);
      if (address === undefined) throw new Error(text);
      expect(rangeContains(range, address), text).toBe(inside);
    }
  });

  it('refuses prefix lengths beyond the family', () => {
    const v4 = parseIpAddress('10.0.0.0');
    const v6 = parseIpAddress('::');
    if (v4 === undefined || v6 === undefined) throw new Error('parse');
    expect(cidrRange(v4, 33)).toBeUndefined();
    expect(cidrRange(v6, 128)).toBeDefined();
    expect(cidrRange(v6, 129)).toBeUndefined();
  });

  it('knows loopback', () => {
    expect(['127.0.0.1', '127.200.0.1', '::1', '::ffff:127.0.0.1'].every((text) => isLoopback(parseIpAddress(text) ?? { family: 4, value: 0n }))).toBe(true);
    expect(['128.0.0.1', '::2', '10.0.0.1'].some((text) => isLoopback(parseIpAddress(text) ?? { family: 4, value: 0x7f000001n }))).toBe(false);
  });
});
