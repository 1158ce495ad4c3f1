/**
 * The interface table: LocalSubnet from addresses and prefix lengths, re-read when stale or when a
 * connection arrives on an unknown address, but not on every connection of a flood.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { InterfaceTable, readHostAddresses } from '../../../firewall/interfaces.js';
import { formatRange, parseIpAddress, type IpAddress } from '../../../firewall/ip-address.js';

function info(address: string, cidr: string | null, internal = false): NetworkInterfaceInfo {
  const family = address.includes(':') ? 'IPv6' : 'IPv4';
  return family === 'IPv6'
    ? { address, cidr, internal, family, netmask: '', mac: '00:00:00:00:00:00', scopeid: 0 }
    : { address, cidr, internal, family, netmask: '', mac: '00:00:00:00:00:00' };
}

function ip(text: string): IpAddress {
  const address = parseIpAddress(text);
  if (address === undefined) throw new Error(text);
  return address;
}

/** A host whose interfaces the test changes, read through a counter. */
function fakeHost(initial: NodeJS.Dict<NetworkInterfaceInfo[]>) {
  const host = { interfaces: initial, reads: 0, time: 0 };
  const table = new InterfaceTable({
    source: () => {
      host.reads++;
      return host.interfaces;
    },
    now: () => host.time,
    maxAgeMs: 5000,
    missRereadMs: 1000,
  });
  return { host, table };
}

describe('readHostAddresses', () => {
  it('computes each subnet from the address and prefix length', () => {
    const addresses = readHostAddresses(() => ({
      lo: [info('127.0.0.1', '127.0.0.1/8', true), info('::1', '::1/128', true)],
      eth0: [info('10.203.1.1', '10.203.1.1/24'), info('fe80::1%eth0', 'fe80::1/64'), info('192.0.2.9', null)],
    }));
    expect(addresses.map((a) => [a.interfaceName, formatRange(a.subnet), a.prefixLength, a.internal])).toEqual([
      ['lo', '127.0.0.0/8', 8, true],
      ['lo', '::1', 128, true],
      ['eth0', '10.203.1.0/24', 24, false],
      ['eth0', 'fe80::/64', 64, false],
      // No netmask known: the address alone.
      ['eth0', '192.0.2.9', 32, false],
    ]);
  });
});

describe('InterfaceTable', () => {
  it('gives LocalSubnet without duplicates', () => {
    const { table } = fakeHost({ eth0: [info('10.0.0.1', '10.0.0.1/24'), info('10.0.0.2', '10.0.0.2/24')], eth1: [info('2001:db8::1', '2001:db8::1/64')] });
    expect(table.localSubnets().map(formatRange)).toEqual(['10.0.0.0/24', '2001:db8::/64']);
  });

  it('re-reads when the snapshot is older than maxAgeMs, so a changed prefix takes effect', () => {
    const { host, table } = fakeHost({ eth0: [info('10.0.0.1', '10.0.0.1/24')] });
    expect(table.localSubnets().map(formatRange)).toEqual(['10.0.0.0/24']);
    host.interfaces = { eth0: [info('10.0.0.1', '10.0.0.1/16')] };
    host.time = 4999;
    expect(table.localSubnets().map(formatRange)).toEqual(['10.0.0.0/24']);
    host.time = 5000;
    expect(table.localSubnets().map(formatRange)).toEqual(['10.0.0.0/16']);
  });

  it('re-reads at once for an unknown local address, at most once per missRereadMs', () => {
    const { host, table } = fakeHost({ eth0: [info('10.0.0.1', '10.0.0.1/24')] });
    expect(table.find(ip('10.0.0.1'))?.interfaceName).toBe('eth0');
    const readsBefore = host.reads;
    host.interfaces = { eth0: [info('10.0.0.1', '10.0.0.1/24')], eth1: [info('10.5.0.1', '10.5.0.1/24')] };
    host.time = 1000;
    expect(table.find(ip('10.5.0.1'))?.interfaceName).toBe('eth1');
    expect(host.reads).toBe(readsBefore + 1);
    // A flood of connections on addresses the host does not have reads at most once a second.
    for (let i = 0; i < 100; i++) expect(table.find(ip('10.99.0.1'))).toBeUndefined();
    expect(host.reads).toBe(readsBefore + 1);
    host.time = 2000;
    table.find(ip('10.99.0.1'));
    expect(host.reads).toBe(readsBefore + 2);
  });

  it('finds IPv4-mapped local addresses as their IPv4 address', () => {
    const { table } = fakeHost({ eth0: [info('10.0.0.1', '10.0.0.1/24')] });
    expect(table.find(ip('::ffff:10.0.0.1'))?.interfaceName).toBe('eth0');
  });

  it('reports a LocalSubnet change, not the first read', () => {
    const changes: string[][] = [];
    const host = { interfaces: { eth0: [info('10.0.0.1', '10.0.0.1/24')] } as NodeJS.Dict<NetworkInterfaceInfo[]>, time: 0 };
    const table = new InterfaceTable({
      source: () => host.interfaces,
      now: () => host.time,
      onChange: (subnets) => changes.push(subnets.map(formatRange)),
    });
    table.localSubnets();
    host.time = 10_000;
    table.localSubnets();
    expect(changes).toEqual([]);
    host.interfaces = { eth0: [info('10.0.0.1', '10.0.0.1/24'), info('10.1.0.1', '10.1.0.1/24')] };
    host.time = 20_000;
    table.localSubnets();
    expect(changes).toEqual([['10.0.0.0/24', '10.1.0.0/24']]);
  });
});
