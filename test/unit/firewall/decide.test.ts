/**
 * The rule matcher over a table of addresses, profiles and rules, IPv4 and IPv6: Windows' default
 * WinRM rules, block-over-allow, disabled rules, ports, and IPv4-mapped IPv6 peers.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../firewall/decide.js';
import { DEFAULT_FIREWALL_RULES } from '../../../firewall/default-rules.js';
import { cidrRange, parseIpAddress, type AddressRange, type IpAddress } from '../../../firewall/ip-address.js';
import type { Profile } from '../../../firewall/profiles.js';
import { parseFirewallRules, type Transport } from '../../../firewall/rules.js';

function ip(text: string): IpAddress {
  const address = parseIpAddress(text);
  if (address === undefined) throw new Error(`bad test address ${text}`);
  return address;
}

function subnet(text: string): AddressRange {
  const [base = '', length = ''] = text.split('/');
  const range = cidrRange(ip(base), Number(length));
  if (range === undefined) throw new Error(`bad test subnet ${text}`);
  return range;
}

/** The host is on 10.1.0.0/24 and 2001:db8:1::/64 (and loopback). */
const LOCAL_SUBNETS = [subnet('10.1.0.0/24'), subnet('2001:db8:1::/64'), subnet('127.0.0.0/8'), subnet('::1/128')];
const HTTP = 'Windows Remote Management (HTTP-In)';
const HTTPS = 'Windows Remote Management (HTTPS-In)';
const DEFAULTS = parseFirewallRules(DEFAULT_FIREWALL_RULES);

type Row = [remote: string, profile: Profile, transport: Transport, port: number, action: 'allow' | 'block', rule: string | undefined];

describe('Windows\' default WinRM rules', () => {
  const rows: Row[] = [
    // Domain and Private: any address.
    ['198.51.100.9', 'Domain', 'http', 5985, 'allow', HTTP],
    ['198.51.100.9', 'Private', 'https', 5986, 'allow', HTTPS],
    ['2001:db8:99::5', 'Private', 'http', 5985, 'allow', HTTP],
    // Public: the local subnet only.
    ['10.1.0.77', 'Public', 'http', 5985, 'allow', HTTP],
    ['10.1.0.77', 'Public', 'https', 5986, 'allow', HTTPS],
    ['10.1.1.77', 'Public', 'http', 5985, 'block', undefined],
    ['198.51.100.9', 'Public', 'https', 5986, 'block', undefined],
    ['2001:db8:1::abcd', 'Public', 'http', 5985, 'allow', HTTP],
    ['2001:db8:2::abcd', 'Public', 'http', 5985, 'block', undefined],
    // A dual-stack socket reports an IPv4 peer as IPv4-mapped IPv6: it is that IPv4 address.
    ['::ffff:10.1.0.77', 'Public', 'http', 5985, 'allow', HTTP],
    ['::ffff:10.1.1.77', 'Public', 'http', 5985, 'block', undefined],
    // The rules follow the listener, not a port number: any port of the HTTPS listener matches.
    ['10.1.0.77', 'Public', 'https', 40123, 'allow', HTTPS],
  ];
  it.each(rows)('%s on a %s network to %s:%i is %s', (remote, profile, transport, port, action, rule) => {
    const decision = decide({ remote: ip(remote), profile, transport, localPort: port }, DEFAULTS, LOCAL_SUBNETS);
    expect(decision).toEqual({ action, rule });
  });

  it('blocks everything on a port that belongs to no listener', () => {
    const decision = decide({ remote: ip('10.1.0.77'), profile: 'Private', transport: undefined, localPort: 5985 }, DEFAULTS, LOCAL_SUBNETS);
    expect(decision).toEqual({ action: 'block', rule: undefined });
  });
});

describe('custom rules', () => {
  const rules = parseFirewallRules([
    { Name: 'lab allow', Profiles: 'Any', Action: 'Allow', LocalPort: '5985-5986', RemoteAddress: ['192.0.2.0/24', '2001:db8:5::/48'] },
    { Name: 'bad host', Profiles: ['Public', 'Private'], Action: 'Block', RemoteAddress: '192.0.2.66, 2001:db8:5::66' },
    { Name: 'range', Action: 'Allow', LocalPort: 6000, RemoteAddress: '203.0.113.10-203.0.113.20' },
    { Name: 'off', Enabled: false, Action: 'Allow', RemoteAddress: '*' },
    { Name: 'subnet block', Profiles: 'Domain', Action: 'Block', LocalPort: 'HTTP', RemoteAddress: 'LocalSubnet' },
  ]);
  const rows: [remote: string, profile: Profile, port: number, transport: Transport | undefined, action: 'allow' | 'block', rule: string | undefined][] = [
    ['192.0.2.10', 'Public', 5985, 'http', 'allow', 'lab allow'],
    ['192.0.2.10', 'Public', 5987, undefined, 'block', undefined],
    // Block wins over allow, whatever the order of the rules.
    ['192.0.2.66', 'Public', 5985, 'http', 'block', 'bad host'],
    ['2001:db8:5::66', 'Private', 5986, 'https', 'block', 'bad host'],
    ['::ffff:192.0.2.66', 'Private', 5986, 'https', 'block', 'bad host'],
    // ...but only on the profiles the block rule lists.
    ['192.0.2.66', 'Domain', 5985, undefined, 'allow', 'lab allow'],
    ['2001:db8:5:ffff::1', 'Domain', 5985, undefined, 'allow', 'lab allow'],
    ['2001:db8:6::1', 'Domain', 5985, undefined, 'block', undefined],
    // Ranges are inclusive at both ends.
    ['203.0.113.10', 'Public', 6000, undefined, 'allow', 'range'],
    ['203.0.113.20', 'Public', 6000, undefined, 'allow', 'range'],
    ['203.0.113.21', 'Public', 6000, undefined, 'block', undefined],
    ['203.0.113.15', 'Public', 6001, undefined, 'block', undefined],
    // A disabled rule does nothing.
    ['198.51.100.1', 'Private', 6000, undefined, 'block', undefined],
    // LocalSubnet in a block rule, on the HTTP listener only.
    ['10.1.0.5', 'Domain', 5985, 'http', 'block', 'subnet block'],
    ['10.1.0.5', 'Domain', 5985, 'https', 'block', undefined],
    ['192.0.2.5', 'Domain', 5985, 'https', 'allow', 'lab allow'],
  ];
  it.each(rows)('%s on %s to port %i (%s listener) is %s', (remote, profile, port, transport, action, rule) => {
    expect(decide({ remote: ip(remote), profile, localPort: port, transport }, rules, LOCAL_SUBNETS)).toEqual({ action, rule });
  });

  it('blocks everything when there are no rules', () => {
    expect(decide({ remote: ip('127.0.0.1'), profile: 'Private', localPort: 5985, transport: 'http' }, [], LOCAL_SUBNETS).action).toBe('block');
  });

  it('matches nothing with LocalSubnet when the host has no subnets', () => {
    const publicRules = parseFirewallRules([{ Name: 'p', Profiles: 'Public', RemoteAddress: 'LocalSubnet' }]);
    const connection = { remote: ip('10.1.0.5'), profile: 'Public', localPort: 1, transport: undefined } as const;
    expect(decide(connection, publicRules, []).action).toBe('block');
    expect(decide(connection, publicRules, LOCAL_SUBNETS).action).toBe('allow');
  });
});
