/** `winrmd firewall show` and `winrmd firewall test`, on a faked host so the output is known. */
import type { NetworkInterfaceInfo } from 'node:os';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runFirewallCommand } from '../../../cli/firewall-command.js';
import { main } from '../../../cli/main.js';
import { UsageError } from '../../../cli/usage-error.js';

const HOST: NodeJS.Dict<NetworkInterfaceInfo[]> = {
  lo: [{ address: '127.0.0.1', cidr: '127.0.0.1/8', netmask: '255.0.0.0', family: 'IPv4', internal: true, mac: '00:00:00:00:00:00' }],
  eth0: [
    { address: '10.203.1.1', cidr: '10.203.1.1/24', netmask: '255.255.255.0', family: 'IPv4', internal: false, mac: '02:00:00:00:00:01' },
    { address: '2001:db8:1::1', cidr: '2001:db8:1::1/64', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', internal: false, mac: '02:00:00:00:00:01', scopeid: 0 },
  ],
};

class Capture {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

async function run(argv: string[]): Promise<{ status: number; stdout: string }> {
  const stdout = new Capture();
  const io = { stdin: Readable.from([]), stdout, stderr: new Capture() };
  const status = await runFirewallCommand(argv, io, () => HOST);
  return { status, stdout: stdout.text };
}

describe('winrmd firewall show', () => {
  it('prints each interface address with its profile and why, LocalSubnet, rules and filters', async () => {
    const { status, stdout } = await run(['show', '--set', 'Firewall.Profiles=10.203.1.0/24=Domain', '--set', 'Service.IPv4Filter=10.203.1.7']);
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines).toContain('    lo 127.0.0.1/8 = Private (loopback)');
    expect(lines).toContain('    eth0 10.203.1.1/24 = Domain (Firewall.Profiles 10.203.1.0/24=Domain)');
    expect(lines).toContain('    eth0 2001:db8:1::1/64 = Public (Firewall.DefaultProfile)');
    expect(lines).toContain('LocalSubnet = 127.0.0.0/8, 10.203.1.0/24, 2001:db8:1::/64');
    expect(lines.filter((line) => line === '    Rule')).toHaveLength(4);
    expect(lines).toContain('        Name = Windows Remote Management (HTTPS-In)');
    expect(lines).toContain('Service.IPv4Filter = 10.203.1.7');
    expect(lines).toContain('Service.IPv6Filter = *');
    expect(stdout).not.toContain('Decision');
  });

  it('adds the decision when given an address', async () => {
    const { stdout } = await run(['show', '198.51.100.4']);
    expect(stdout).toContain('Decision for 198.51.100.4 to port 5985 (HTTP listener)');
  });
});

describe('winrmd firewall test', () => {
  it('gives the decision and its rule for every profile', async () => {
    const { status, stdout } = await run(['test', '192.0.2.7', '--port', '5985']);
    expect(status).toBe(0);
    expect(stdout).toBe(
      [
        'Decision for 192.0.2.7 to port 5985 (HTTP listener)',
        '    Domain = allow, by Windows Remote Management (HTTP-In)',
        '    Private = allow, by Windows Remote Management (HTTP-In)',
        '    Public = block, by (no matching allow rule)',
        '',
      ].join('\n'),
    );
  });

  it('uses the profile of the interface holding --local', async () => {
    const { stdout } = await run(['test', '10.203.1.9', '--port', '5986', '--local', '10.203.1.1']);
    expect(stdout).toContain('(HTTPS listener)');
    expect(stdout).toContain('    Public (10.203.1.1 on eth0: Firewall.DefaultProfile) = allow, by Windows Remote Management (HTTPS-In)');
  });

  it('reports the Service filter that refuses, and ports that belong to no listener', async () => {
    const filtered = await run(['test', '::ffff:10.203.1.9', '--profile', 'private', '--set', 'Service.IPv4Filter=10.203.1.8']);
    expect(filtered.stdout).toContain('Decision for 10.203.1.9 to port 5985');
    expect(filtered.stdout).toContain('    Private = block, by Service.IPv4Filter');
    const otherPort = await run(['test', '10.203.1.9', '--port', '8080', '--profile', 'Domain']);
    expect(otherPort.stdout).toContain('(no winrmd listener)');
    expect(otherPort.stdout).toContain('    Domain = block, by (no matching allow rule)');
  });

  it.each([
    [['test'], /usage: winrmd firewall/],
    [['test', 'host.example'], /'host\.example' is not an IPv4 or IPv6 address/],
    [['test', '10.0.0.1', '--port', '99999'], /--port must be a port/],
    [['test', '10.0.0.1', '--profile', 'Home'], /--profile must be Domain, Private or Public/],
    [['test', '10.0.0.1', '--profile', 'Public', '--local', '10.0.0.2'], /alternatives/],
    [['frob'], /unknown subcommand 'firewall frob'/],
  ])('refuses %j as a usage error', async (argv, message) => {
    await expect(run(argv)).rejects.toThrow(UsageError);
    await expect(run(argv)).rejects.toThrow(message);
  });
});

describe('winrmd firewall through main', () => {
  it('is dispatched, and a bad setting exits 2', async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    const io = { stdin: Readable.from([]), stdout, stderr };
    expect(await main(['firewall', 'show'], io)).toBe(0);
    expect(stdout.text).toContain('Rules');
    expect(await main(['firewall', 'test', '10.0.0.1', '--set', 'Firewall.DefaultProfile=Home'], io)).toBe(2);
    expect(stderr.text).toMatch(/Firewall\.DefaultProfile must be one of/);
    expect(await main(['--help'], io)).toBe(0);
    expect(stdout.text).toContain('firewall test ADDRESS');
  });
});
