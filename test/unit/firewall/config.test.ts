/**
 * The firewall's settings in the configuration: Firewall.Rules as a structured value from YAML,
 * TOML and `--set` JSON, checked at load time like every other setting, and printed readably.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatConfig } from '../../../config/format.js';
import { ConfigError, loadConfig } from '../../../config/load.js';
import { DEFAULT_FIREWALL_RULES } from '../../../firewall/default-rules.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-firewall-config-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const LAB_RULE = {
  Name: 'Lab',
  Enabled: true,
  Profiles: ['Domain', 'Private'],
  Action: 'Allow',
  LocalPort: ['5985'],
  RemoteAddress: ['LocalSubnet', '192.0.2.0/24'],
};

describe('Firewall defaults', () => {
  it('are enabled, Public by default, no per-interface profiles, Windows\' WinRM rules', async () => {
    const config = await loadConfig({});
    expect(config['Firewall.Enabled']).toBe(true);
    expect(config['Firewall.DefaultProfile']).toBe('Public');
    expect(config['Firewall.Profiles']).toBe('');
    expect(config['Firewall.Rules']).toEqual(DEFAULT_FIREWALL_RULES);
    expect(config['Service.IPv4Filter']).toBe('*');
  });
});

describe('Firewall.Rules', () => {
  it('reads a YAML list of tables', async () => {
    const path = await file(
      'winrmd.yaml',
      [
        'Firewall:',
        '  Rules:',
        '    - Name: Lab',
        '      Enabled: true',
        '      Profiles: [Domain, Private]',
        '      Action: Allow',
        '      LocalPort: 5985',
        '      RemoteAddress: [LocalSubnet, 192.0.2.0/24]',
        '',
      ].join('\n'),
    );
    expect((await loadConfig({ file: path }))['Firewall.Rules']).toEqual([LAB_RULE]);
  });

  it('reads TOML arrays of tables', async () => {
    const path = await file(
      'winrmd.toml',
      ['[[Firewall.Rules]]', 'Name = "Lab"', 'Profiles = ["Domain", "Private"]', 'LocalPort = 5985', 'RemoteAddress = ["LocalSubnet", "192.0.2.0/24"]', ''].join('\n'),
    );
    expect((await loadConfig({ file: path }))['Firewall.Rules']).toEqual([LAB_RULE]);
  });

  it('reads JSON text from --set, which wins over the file', async () => {
    const path = await file('winrmd.yaml', 'Firewall:\n  Rules:\n    - Name: From file\n');
    const config = await loadConfig({ file: path, sets: [`firewall.rules=${JSON.stringify([LAB_RULE])}`] });
    expect(config['Firewall.Rules']).toEqual([LAB_RULE]);
  });

  it('refuses a bad rule at load time, naming the source, the setting, the rule and the field', async () => {
    const path = await file('bad.yaml', 'Firewall:\n  Rules:\n    - Name: ok\n    - Name: broken\n      RemoteAddress: 10.0.0.0/99\n');
    await expect(loadConfig({ file: path })).rejects.toThrow(ConfigError);
    await expect(loadConfig({ file: path })).rejects.toThrow(/bad\.yaml: Firewall\.Rules: rule 2 'broken': '10\.0\.0\.0\/99'/);
    await expect(loadConfig({ sets: ['Firewall.Rules=[{"Name":"x"'] })).rejects.toThrow(/--set Firewall\.Rules=.*: Firewall\.Rules: is not valid JSON/);
    await expect(loadConfig({ file: await file('table.yaml', 'Firewall:\n  Rules:\n    Name: lone\n') })).rejects.toThrow(/must be a list of rules/);
  });

  it('still refuses a list for a single-valued setting', async () => {
    await expect(loadConfig({ file: await file('list.yaml', 'Firewall:\n  Profiles: [a, b]\n') })).rejects.toThrow(
      /Firewall\.Profiles must be a single value, not a list/,
    );
  });
});

describe('the other firewall settings are checked at load time', () => {
  it.each([
    ['Firewall.DefaultProfile=Home', /Firewall\.DefaultProfile must be one of Domain, Private, Public/],
    ['Firewall.Profiles=eth0', /Firewall\.Profiles: 'eth0' should be INTERFACE=Profile/],
    ['Service.IPv4Filter=10.0.0.0/8', /Service\.IPv4Filter: '10\.0\.0\.0\/8' is not an address or a range/],
    ['Service.IPv6Filter=10.0.0.1', /Service\.IPv6Filter: '10\.0\.0\.1' is not an IPv6 address/],
    ['Firewall.Enabled=maybe', /Firewall\.Enabled must be true or false/],
  ])('%s', async (set, message) => {
    await expect(loadConfig({ sets: [set] })).rejects.toThrow(message);
  });

  it('canonicalizes the profile name and keeps valid filters as written', async () => {
    const config = await loadConfig({ sets: ['Firewall.DefaultProfile=private', 'Service.IPv4Filter=10.0.0.1, 10.0.0.5-10.0.0.9', 'Firewall.Profiles=lo=Public'] });
    expect(config['Firewall.DefaultProfile']).toBe('Private');
    expect(config['Service.IPv4Filter']).toBe('10.0.0.1, 10.0.0.5-10.0.0.9');
    expect(config['Firewall.Profiles']).toBe('lo=Public');
  });
});

describe('winrmd config show', () => {
  it('prints the rules one section per rule, lists joined by commas', async () => {
    const text = formatConfig(await loadConfig({ sets: [`Firewall.Rules=${JSON.stringify([LAB_RULE])}`] }));
    expect(text).toContain(
      [
        '    Firewall',
        '        Enabled = true',
        '        DefaultProfile = Public',
        '        Profiles',
        '        Rules',
        '            Rule',
        '                Name = Lab',
        '                Enabled = true',
        '                Profiles = Domain, Private',
        '                Action = Allow',
        '                LocalPort = 5985',
        '                RemoteAddress = LocalSubnet, 192.0.2.0/24',
        '    Listener',
      ].join('\n'),
    );
  });

  it('prints an empty rule list as a bare name', async () => {
    const lines = formatConfig(await loadConfig({ sets: ['Firewall.Rules=[]'] })).split('\n');
    expect(lines).toContain('        Rules');
    expect(lines).not.toContain('            Rule');
  });
});
