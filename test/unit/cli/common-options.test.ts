import { describe, expect, it } from 'vitest';
import { parseCommonOptions, parseServeOptions, sourcesFromOptions } from '../../../cli/common-options.js';
import { UsageError } from '../../../cli/usage-error.js';
import { loadConfig } from '../../../config/load.js';

describe('parseCommonOptions', () => {
  it('maps --config, repeated --set and --state-dir to config sources', () => {
    const parsed = parseCommonOptions(['list', '--config', 'w.yaml', '--set', 'A=1', '--set', 'B=2', '--state-dir', '/s']);
    expect(parsed.positionals).toEqual(['list']);
    expect(parsed.help).toBe(false);
    expect(parsed.sources).toEqual({ file: 'w.yaml', sets: ['A=1', 'B=2'], overrides: { 'Winrmd.StateDir': '/s' } });
  });

  it('leaves out what was not given', () => {
    expect(parseCommonOptions([]).sources).toEqual({ sets: [], overrides: {} });
  });

  it('throws UsageError for an unknown flag or an empty value', () => {
    expect(() => parseCommonOptions(['--nope'])).toThrow(UsageError);
    expect(() => parseCommonOptions(['--state-dir', ''])).toThrow(/--state-dir needs a value/);
  });
});

describe('parseServeOptions', () => {
  it('turns --bind and the port flags into overrides that beat --set', async () => {
    const sources = parseServeOptions([
      '--bind', '127.0.0.1',
      '--http-port', '0',
      '--https-port', '15986',
      '--set', 'Service.DefaultPorts.HTTP=1',
      '--set', 'Listener.Address=10.0.0.1',
    ]);
    const config = await loadConfig(sources);
    expect(config['Listener.Address']).toBe('127.0.0.1');
    expect(config['Service.DefaultPorts.HTTP']).toBe(0);
    expect(config['Service.DefaultPorts.HTTPS']).toBe(15986);
  });

  it('names the flag when a port is bad', () => {
    expect(() => parseServeOptions(['--http-port', 'http'])).toThrow(/^--http-port: .*not 'http'/);
    expect(() => parseServeOptions(['--https-port', '70000'])).toThrow(/^--https-port: .*at most 65535/);
  });

  it('maps --transcript to Winrmd.TranscriptDir, off by default', async () => {
    const config = await loadConfig(parseServeOptions(['--set', 'Winrmd.TranscriptDir=/a', '--transcript', '/tmp/t']));
    expect(config['Winrmd.TranscriptDir']).toBe('/tmp/t');
    expect((await loadConfig(parseServeOptions([])))['Winrmd.TranscriptDir']).toBe('');
    expect(() => parseServeOptions(['--transcript', ''])).toThrow(UsageError);
  });

  it('refuses positional arguments and unknown flags', () => {
    expect(() => parseServeOptions(['now'])).toThrow(UsageError);
    expect(() => parseServeOptions(['--port', '1'])).toThrow(UsageError);
  });
});

describe('WINRMD_CONFIG', () => {
  it('names the configuration file when --config is not given', () => {
    expect(sourcesFromOptions({}, {}, { WINRMD_CONFIG: '/etc/winrmd/winrmd.yaml' })).toEqual({ file: '/etc/winrmd/winrmd.yaml', sets: [], overrides: {} });
  });

  it('loses to --config, and means nothing when empty', () => {
    expect(sourcesFromOptions({ config: 'mine.yaml' }, {}, { WINRMD_CONFIG: '/etc/winrmd/winrmd.yaml' }).file).toBe('mine.yaml');
    expect(sourcesFromOptions({}, {}, { WINRMD_CONFIG: '' })).toEqual({ sets: [], overrides: {} });
  });
});
