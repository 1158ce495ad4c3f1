/**
 * The firewall as a whole for one connection: profile of the local interface, rules, then the
 * Service filters, with the settings loaded from the configuration as `serve` loads them.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.js';
import { ConnectionFirewall, FIREWALL_DISABLED, firewallSettingsFrom, InterfaceTable, NO_MATCHING_RULE } from '../../../firewall/index.js';
import type { Transport } from '../../../firewall/rules.js';

function info(address: string, cidr: string, internal = false): NetworkInterfaceInfo {
  return address.includes(':')
    ? { address, cidr, internal, family: 'IPv6', netmask: '', mac: '00:00:00:00:00:00', scopeid: 0 }
    : { address, cidr, internal, family: 'IPv4', netmask: '', mac: '00:00:00:00:00:00' };
}

/** The server's host: loopback, eth0 on 10.203.1.0/24 and 2001:db8:1::/64, eth1 on 10.9.0.0/16. */
const HOST: NodeJS.Dict<NetworkInterfaceInfo[]> = {
  lo: [info('127.0.0.1', '127.0.0.1/8', true), info('::1', '::1/128', true)],
  eth0: [info('10.203.1.1', '10.203.1.1/24'), info('2001:db8:1::1', '2001:db8:1::1/64')],
  eth1: [info('10.9.0.1', '10.9.0.1/16')],
};

async function firewallWith(sets: string[]): Promise<ConnectionFirewall> {
  const settings = firewallSettingsFrom(await loadConfig({ sets }));
  return new ConnectionFirewall(settings, { log: { info: () => undefined }, interfaces: new InterfaceTable({ source: () => HOST }) });
}

function ends(remoteAddress: string, localAddress: string, localPort = 5985) {
  return { remoteAddress, remotePort: 50000, localAddress, localPort };
}

describe('ConnectionFirewall.evaluate with the default configuration', () => {
  it.each([
    // [remote, local, transport, allowed, profile, rule]
    ['10.203.1.50', '10.203.1.1', 'http', true, 'Public', 'Windows Remote Management (HTTP-In)'],
    ['10.203.2.50', '10.203.1.1', 'http', false, 'Public', NO_MATCHING_RULE],
    ['::ffff:10.203.2.50', '::ffff:10.203.1.1', 'https', false, 'Public', NO_MATCHING_RULE],
    ['2001:db8:1::77', '2001:db8:1::1', 'https', true, 'Public', 'Windows Remote Management (HTTPS-In)'],
    ['2001:db8:2::77', '2001:db8:1::1', 'https', false, 'Public', NO_MATCHING_RULE],
    // LocalSubnet is every subnet of the host: eth1's too, even for a connection on eth0.
    ['10.9.200.1', '10.203.1.1', 'http', true, 'Public', 'Windows Remote Management (HTTP-In)'],
    // Loopback is Private: any address (here a remote one, as through a DNAT to 127.0.0.1).
    ['198.51.100.1', '127.0.0.1', 'http', true, 'Private', 'Windows Remote Management (HTTP-In)'],
    ['::1', '::1', 'https', true, 'Private', 'Windows Remote Management (HTTPS-In)'],
  ] as const)('%s to %s (%s): allowed=%s, %s, %s', async (remote, local, transport, allowed, profile, rule) => {
    const firewall = await firewallWith([]);
    expect(firewall.evaluate(ends(remote, local), transport)).toMatchObject({ allowed, profile, rule });
  });

  it('gives an address no interface holds the default profile', async () => {
    const firewall = await firewallWith(['Firewall.DefaultProfile=domain']);
    expect(firewall.evaluate(ends('198.51.100.1', '10.77.0.1'), 'http')).toMatchObject({
      allowed: true,
      profile: 'Domain',
      profileSource: 'Firewall.DefaultProfile',
      interfaceName: undefined,
    });
  });

  it('refuses a socket that lost its addresses', async () => {
    const firewall = await firewallWith([]);
    expect(firewall.evaluate({ remoteAddress: undefined, remotePort: undefined, localAddress: '127.0.0.1', localPort: 5985 }, 'http').allowed).toBe(false);
  });
});

describe('Firewall.Profiles', () => {
  it('marking the interface Private lets any address in', async () => {
    const firewall = await firewallWith(['Firewall.Profiles=eth0=Private']);
    expect(firewall.evaluate(ends('10.203.2.50', '10.203.1.1'), 'http')).toMatchObject({ allowed: true, profile: 'Private', interfaceName: 'eth0' });
    // eth1 keeps the default.
    expect(firewall.evaluate(ends('198.51.100.1', '10.9.0.1'), 'http')).toMatchObject({ allowed: false, profile: 'Public', interfaceName: 'eth1' });
  });
});

describe('Service.IPv4Filter and IPv6Filter come after the firewall', () => {
  const cases: [string, string, Transport, boolean, string][] = [
    ['10.203.1.50', '10.203.1.1', 'http', true, 'Windows Remote Management (HTTP-In)'],
    ['10.203.1.51', '10.203.1.1', 'http', false, 'Service.IPv4Filter'],
    // The firewall refuses first, so its rule is the one reported.
    ['10.203.2.50', '10.203.1.1', 'http', false, NO_MATCHING_RULE],
    ['2001:db8:1::77', '2001:db8:1::1', 'https', false, 'Service.IPv6Filter'],
    ['2001:db8:1::5', '2001:db8:1::1', 'https', true, 'Windows Remote Management (HTTPS-In)'],
  ];
  it.each(cases)('%s to %s (%s): allowed=%s by %s', async (remote, local, transport, allowed, rule) => {
    const firewall = await firewallWith(['Service.IPv4Filter=10.203.1.50', 'Service.IPv6Filter=2001:db8:1::1-2001:db8:1::9']);
    expect(firewall.evaluate(ends(remote, local), transport)).toMatchObject({ allowed, rule });
  });

  it('still apply with Firewall.Enabled=false, which lets everything else in', async () => {
    const firewall = await firewallWith(['Firewall.Enabled=false', 'Service.IPv4Filter=10.203.2.50']);
    expect(firewall.evaluate(ends('10.203.2.50', '10.203.1.1'), 'http')).toMatchObject({ allowed: true, rule: FIREWALL_DISABLED });
    expect(firewall.evaluate(ends('10.203.1.50', '10.203.1.1'), 'http')).toMatchObject({ allowed: false, rule: 'Service.IPv4Filter' });
  });
});

describe('custom rules from the configuration', () => {
  it('applies a block rule over the default allow rules', async () => {
    const block = JSON.stringify([{ Name: 'no lab', Action: 'Block', RemoteAddress: '127.0.0.2' }]);
    const firewall = await firewallWith([`Firewall.Rules=${block}`]);
    // Replacing the rules drops the defaults: nothing allows 127.0.0.1 now either.
    expect(firewall.evaluate(ends('127.0.0.2', '127.0.0.1'), 'http')).toMatchObject({ allowed: false, rule: 'no lab' });
    expect(firewall.evaluate(ends('127.0.0.1', '127.0.0.1'), 'http')).toMatchObject({ allowed: false, rule: NO_MATCHING_RULE });
  });
});
