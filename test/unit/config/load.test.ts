import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../../../config/keys.js';
import { ConfigError, loadConfig, parseConfigValue, resolveConfigKey } from '../../../config/load.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-config-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('resolveConfigKey', () => {
  it('matches names in any case and returns the canonical spelling', () => {
    expect(resolveConfigKey('service.auth.basic')).toBe('Service.Auth.Basic');
    expect(resolveConfigKey('SERVICE.DEFAULTPORTS.HTTPS')).toBe('Service.DefaultPorts.HTTPS');
    expect(resolveConfigKey('Winrs.IdleTimeout')).toBe('Winrs.IdleTimeout');
  });

  it('returns undefined for unknown names and for sections', () => {
    expect(resolveConfigKey('Service.Auth.Digest')).toBeUndefined();
    expect(resolveConfigKey('Service.Auth')).toBeUndefined();
    expect(resolveConfigKey('')).toBeUndefined();
  });
});

describe('parseConfigValue', () => {
  it('accepts booleans in any case, as Windows does', () => {
    expect(parseConfigValue('Service.Auth.Basic', 'TRUE')).toBe(true);
    expect(parseConfigValue('Service.Auth.Basic', 'False')).toBe(false);
    expect(parseConfigValue('Service.Auth.Basic', true)).toBe(true);
  });

  it('rejects non-boolean text for a boolean, naming the key and the value', () => {
    expect(() => parseConfigValue('Service.AllowUnencrypted', 'yes')).toThrow(ConfigError);
    expect(() => parseConfigValue('Service.AllowUnencrypted', 'yes')).toThrow(/Service\.AllowUnencrypted.*'yes'/);
    expect(() => parseConfigValue('Service.AllowUnencrypted', 1)).toThrow(ConfigError);
  });

  it('accepts non-negative integers only', () => {
    expect(parseConfigValue('Service.MaxTimeoutms', '120000')).toBe(120000);
    expect(parseConfigValue('Service.MaxTimeoutms', 0)).toBe(0);
    for (const bad of ['-1', '1.5', '', ' ', '0x10', '1e3', 'ten', -1, 2.5, true]) {
      expect(() => parseConfigValue('Service.MaxTimeoutms', bad), String(bad)).toThrow(/Service\.MaxTimeoutms/);
    }
  });

  it('bounds ports to 65535', () => {
    expect(parseConfigValue('Service.DefaultPorts.HTTP', '65535')).toBe(65535);
    expect(() => parseConfigValue('Service.DefaultPorts.HTTP', '65536')).toThrow(/at most 65535/);
  });

  it('canonicalizes settings with a fixed set of values', () => {
    expect(parseConfigValue('Service.Auth.CbtHardeningLevel', 'strict')).toBe('Strict');
    expect(parseConfigValue('Winrmd.LogLevel', 'DEBUG')).toBe('debug');
    expect(() => parseConfigValue('Winrmd.LogLevel', 'loud')).toThrow(/one of fatal, error/);
  });

  it('takes typed scalars as text for string settings', () => {
    expect(parseConfigValue('Winrmd.ComputerName', 1234)).toBe('1234');
  });
});

describe('loadConfig', () => {
  it('returns every default when given nothing', async () => {
    const config = await loadConfig({});
    for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
      expect(config[key as keyof typeof config], key).toBe(spec.default);
    }
  });

  it('reads nested YAML tables as dotted names', async () => {
    const path = await file(
      'winrmd.yaml',
      ['Service:', '  Auth:', '    Basic: false', '  DefaultPorts:', '    HTTP: 8985', 'Winrs.IdleTimeout: 60000', ''].join('\n'),
    );
    const config = await loadConfig({ file: path });
    expect(config['Service.Auth.Basic']).toBe(false);
    expect(config['Service.DefaultPorts.HTTP']).toBe(8985);
    expect(config['Winrs.IdleTimeout']).toBe(60000);
    expect(config['Service.DefaultPorts.HTTPS']).toBe(5986);
  });

  it('reads TOML tables and accepts keys in any case', async () => {
    const path = await file(
      'winrmd.toml',
      ['[service.auth]', 'basic = false', '', '[Listener]', 'Address = "127.0.0.1"', 'HTTPS.Enabled = false', ''].join('\n'),
    );
    const config = await loadConfig({ file: path });
    expect(config['Service.Auth.Basic']).toBe(false);
    expect(config['Listener.Address']).toBe('127.0.0.1');
    expect(config['Listener.HTTPS.Enabled']).toBe(false);
  });

  it('treats an empty YAML file as setting nothing', async () => {
    const config = await loadConfig({ file: await file('empty.yml', '') });
    expect(config['Service.Auth.Basic']).toBe(true);
  });

  it('applies --set after the file, in order, and overrides last', async () => {
    const path = await file('winrmd.yaml', 'Service:\n  DefaultPorts:\n    HTTP: 1000\n    HTTPS: 1001\n  MaxConnections: 7\n');
    const config = await loadConfig({
      file: path,
      sets: ['Service.DefaultPorts.HTTP=2000', 'service.defaultports.http=3000', 'Service.DefaultPorts.HTTPS=2001'],
      overrides: { 'Service.DefaultPorts.HTTPS': 4001 },
    });
    expect(config['Service.DefaultPorts.HTTP']).toBe(3000);
    expect(config['Service.DefaultPorts.HTTPS']).toBe(4001);
    expect(config['Service.MaxConnections']).toBe(7);
  });

  it('keeps everything after the first = as the value', async () => {
    const config = await loadConfig({ sets: ['Winrmd.CommandInterpreter=/usr/bin/env A=B sh -c'] });
    expect(config['Winrmd.CommandInterpreter']).toBe('/usr/bin/env A=B sh -c');
  });

  it('rejects an unknown key in the file, naming it', async () => {
    const path = await file('bad.yaml', 'Service:\n  Auth:\n    Digest: true\n');
    await expect(loadConfig({ file: path })).rejects.toThrow(ConfigError);
    await expect(loadConfig({ file: path })).rejects.toThrow(/unknown setting 'Service\.Auth\.Digest'/);
  });

  it('rejects a Service.RootSDDL that is not valid SDDL, saying why', async () => {
    await expect(loadConfig({ sets: ['Service.RootSDDL=O:NSG:BA'] })).rejects.toThrow(/Service\.RootSDDL is not a valid SDDL: no DACL \(D:\)/);
    await expect(loadConfig({ sets: ['Service.RootSDDL=D:(A;;GA;;;XX)'] })).rejects.toThrow(/'XX' is not a SID alias/);
    const config = await loadConfig({ sets: ['Service.RootSDDL=D:(A;;GA;;;BA)(A;;GX;;;Operators)'] });
    expect(config['Service.RootSDDL']).toBe('D:(A;;GA;;;BA)(A;;GX;;;Operators)');
  });

  it('rejects an unknown key or a missing = in --set', async () => {
    await expect(loadConfig({ sets: ['Service.Nope=1'] })).rejects.toThrow(/--set Service\.Nope=1: unknown setting 'Service\.Nope'/);
    await expect(loadConfig({ sets: ['Service.Auth.Basic'] })).rejects.toThrow(/expected Key=Value/);
  });

  it('rejects a bad value, naming the source, key and value', async () => {
    await expect(loadConfig({ sets: ['Service.MaxEnvelopeSizekb=big'] })).rejects.toThrow(
      /--set Service\.MaxEnvelopeSizekb=big: Service\.MaxEnvelopeSizekb must be a non-negative integer, not 'big'/,
    );
    const path = await file('bad.toml', '[Service.Auth]\nBasic = "sometimes"\n');
    await expect(loadConfig({ file: path })).rejects.toThrow(/bad\.toml: Service\.Auth\.Basic must be true or false/);
  });

  it('refuses to set the read-only certificate thumbprint from any source', async () => {
    await expect(loadConfig({ sets: ['Service.CertificateThumbprint=AB'] })).rejects.toThrow(/read-only/);
    const path = await file('thumb.yaml', 'Service:\n  CertificateThumbprint: AB\n');
    await expect(loadConfig({ file: path })).rejects.toThrow(/read-only/);
    await expect(loadConfig({ overrides: { 'Service.CertificateThumbprint': 'AB' } })).rejects.toThrow(/read-only/);
  });

  it('rejects a setting given twice in one file under different case', async () => {
    const path = await file('twice.yaml', 'Service.Auth.Basic: true\nservice.auth.basic: false\n');
    await expect(loadConfig({ file: path })).rejects.toThrow(/set twice/);
  });

  it('rejects lists, syntax errors, unknown extensions and missing files with ConfigError', async () => {
    await expect(loadConfig({ file: await file('list.yaml', 'Listener:\n  Address: [a, b]\n') })).rejects.toThrow(
      /Listener\.Address must be a single value/,
    );
    await expect(loadConfig({ file: await file('broken.toml', '[Service\n') })).rejects.toThrow(/not valid TOML/);
    await expect(loadConfig({ file: await file('broken.yaml', 'a: [\n') })).rejects.toThrow(/not valid YAML/);
    await expect(loadConfig({ file: await file('winrmd.json', '{}') })).rejects.toThrow(/\*\.yaml, \*\.yml or \*\.toml/);
    await expect(loadConfig({ file: join(dir, 'missing.yaml') })).rejects.toThrow(/cannot read config file/);
    await expect(loadConfig({ file: await file('scalar.yaml', '42\n') })).rejects.toThrow(/top level/);
  });
});
