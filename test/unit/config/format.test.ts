import { describe, expect, it } from 'vitest';
import { formatConfig } from '../../../config/format.js';
import { loadConfig } from '../../../config/load.js';

describe('formatConfig', () => {
  it('prints the tree like `winrm get winrm/config`', async () => {
    const lines = formatConfig(await loadConfig({ sets: ['Service.Auth.Basic=false'] })).split('\n');
    expect(lines[0]).toBe('Config');
    expect(lines[1]).toBe('    Service');
    expect(lines).toContain('        MaxEnvelopeSizekb = 500');
    expect(lines).toContain('            Basic = false');
    expect(lines).toContain('            Kerberos = true');
    expect(lines).toContain('            HTTP = 5985');
    expect(lines).toContain('    Winrs');
    expect(lines).toContain('        IdleTimeout = 7200000');
  });

  it('keeps a section\'s later settings after its subsections, in CONFIG_KEYS order', async () => {
    const lines = formatConfig(await loadConfig({}));
    // Windows prints Service's Auth and DefaultPorts, then the rest of Service's own settings.
    expect(lines).toContain(
      [
        '        Auth',
        '            Basic = true',
        '            Kerberos = true',
        '            Negotiate = true',
        '            Certificate = false',
        '            CredSSP = false',
        '            Keytab',
        '            Realms',
        '            MaxClockSkewms = 300000',
        '            CbtHardeningLevel = Relaxed',
        '        DefaultPorts',
        '            HTTP = 5985',
        '            HTTPS = 5986',
        '        IPv4Filter = *',
        '        IPv6Filter = *',
        '        CertificateThumbprint',
        '        AllowRemoteAccess = true',
        '        PowerShellPath',
        '        AdministratorsGroup',
        '        RemoteManagementUsersGroup',
        '    Winrs',
      ].join('\n'),
    );
  });

  it('prints each section once and empty values as a bare name', async () => {
    const lines = formatConfig(await loadConfig({ sets: ['Winrmd.ComputerName=lab1'] })).split('\n');
    expect(lines.filter((line) => line === '    Service')).toHaveLength(1);
    expect(lines.filter((line) => line === '    Listener')).toHaveLength(1);
    expect(lines).toContain('        ComputerName = lab1');
    expect(lines).toContain('        StateDir');
    expect(lines).toContain('            KeyFile');
    expect(lines.some((line) => line.endsWith('='))).toBe(false);
  });

  it('uses four spaces per level and no trailing newline', async () => {
    const text = formatConfig(await loadConfig({}));
    expect(text.endsWith('\n')).toBe(false);
    for (const line of text.split('\n')) {
      const indent = /^ */.exec(line)?.[0].length ?? 0;
      expect(indent % 4, line).toBe(0);
    }
  });
});
