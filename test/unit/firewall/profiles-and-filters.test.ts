/** Which profile a local address gets (Firewall.Profiles, loopback, default) and the Service filters. */
import { describe, expect, it } from 'vitest';
import { parseIpAddress, type IpAddress } from '../../../firewall/ip-address.js';
import { chooseProfile, parseProfileAssignments } from '../../../firewall/profiles.js';
import { parseServiceFilter, serviceFilterAdmits } from '../../../firewall/service-filter.js';
import { FirewallSyntaxError } from '../../../firewall/syntax-error.js';

function ip(text: string): IpAddress {
  const address = parseIpAddress(text);
  if (address === undefined) throw new Error(text);
  return address;
}

describe('Firewall.Profiles', () => {
  const assignments = parseProfileAssignments('eth0=Private, 10.9.0.0/16=domain, fd00::/8=Private, veth-lab=Public');

  it.each([
    ['10.0.0.5', { name: 'eth0', internal: false }, 'Private', 'Firewall.Profiles eth0=Private'],
    ['10.9.1.1', { name: 'eth1', internal: false }, 'Domain', 'Firewall.Profiles 10.9.0.0/16=Domain'],
    ['::ffff:10.9.1.1', undefined, 'Domain', 'Firewall.Profiles 10.9.0.0/16=Domain'],
    ['fd00::1', { name: 'eth1', internal: false }, 'Private', 'Firewall.Profiles fd00::/8=Private'],
    ['192.0.2.1', { name: 'eth1', internal: false }, 'Public', 'Firewall.DefaultProfile'],
    ['127.0.0.1', { name: 'lo', internal: true }, 'Private', 'loopback'],
    ['::1', undefined, 'Private', 'loopback'],
  ] as const)('%s on %j is %s', (address, local, profile, source) => {
    expect(chooseProfile(ip(address), local, assignments, 'Public')).toEqual({ profile, source });
  });

  it('lets an explicit item override loopback, and the first matching item win', () => {
    const lab = parseProfileAssignments('lo=Public,127.0.0.0/8=Domain');
    expect(chooseProfile(ip('127.0.0.1'), { name: 'lo', internal: true }, lab, 'Private').profile).toBe('Public');
    expect(chooseProfile(ip('127.0.0.1'), undefined, lab, 'Private').profile).toBe('Domain');
  });

  it('uses the configured default profile', () => {
    expect(chooseProfile(ip('192.0.2.1'), undefined, [], 'Domain').profile).toBe('Domain');
  });

  it.each(['eth0', 'eth0=Home', '=Private', '10.0.0.0/33=Private', 'a/b=Public', 'eth0=Private,,lo=Private'])('refuses %j', (text) => {
    expect(() => parseProfileAssignments(text)).toThrow(FirewallSyntaxError);
  });

  it('takes the empty string as no assignment', () => {
    expect(parseProfileAssignments('  ')).toEqual([]);
  });
});

describe('Service.IPv4Filter and IPv6Filter', () => {
  it('admits everything with *', () => {
    expect(serviceFilterAdmits(parseServiceFilter('*', 4), ip('198.51.100.1'))).toBe(true);
  });

  it('admits only the listed addresses and ranges', () => {
    const filter = parseServiceFilter('10.0.0.5, 10.0.1.10-10.0.1.20', 4);
    const admitted = ['10.0.0.5', '10.0.1.10', '10.0.1.20', '::ffff:10.0.1.15'].map((text) => serviceFilterAdmits(filter, ip(text)));
    const refused = ['10.0.0.6', '10.0.1.21', '10.0.1.9'].map((text) => serviceFilterAdmits(filter, ip(text)));
    expect(admitted).toEqual([true, true, true, true]);
    expect(refused).toEqual([false, false, false]);
  });

  it('reads IPv6 filters', () => {
    const filter = parseServiceFilter('2001:db8::1-2001:db8::ff, fd00::7', 6);
    expect(serviceFilterAdmits(filter, ip('2001:db8::80'))).toBe(true);
    expect(serviceFilterAdmits(filter, ip('fd00::7'))).toBe(true);
    expect(serviceFilterAdmits(filter, ip('fd00::8'))).toBe(false);
  });

  it('admits nothing when empty, as Windows listens on no address of that family', () => {
    expect(serviceFilterAdmits(parseServiceFilter('', 4), ip('127.0.0.1'))).toBe(false);
  });

  it.each([
    ['10.0.0.0/8', 4],
    ['::1', 4],
    ['10.0.0.1', 6],
    ['10.0.0.9-10.0.0.1', 4],
    ['10.0.0.1,', 4],
    ['all', 4],
  ] as const)('refuses %j as an IPv%i filter (Windows syntax: *, addresses and ranges)', (text, family) => {
    expect(() => parseServiceFilter(text, family)).toThrow(FirewallSyntaxError);
  });
});
