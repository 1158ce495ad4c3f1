/** The names and OS version the NTLM CHALLENGE tells a client, from the configuration and the host. */
import { describe, expect, it } from 'vitest';
import { parseOsVersion } from '../../../auth/ntlm/index.js';
import { loadConfig } from '../../../config/index.js';
import { configuredNtlmNames, createContextFactory, defaultNtlmNames } from '../../../server/security-contexts.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserStore } from '../../../users/index.js';
import { negotiateMessage, parseChallenge } from '../../support/ntlm-challenge.js';

const NO_NAMES = { 'Winrmd.NetbiosComputerName': '', 'Winrmd.NetbiosDomainName': '', 'Winrmd.DnsComputerName': '', 'Winrmd.DnsDomainName': '' };

describe('defaultNtlmNames', () => {
  it('names a host with a domain as a standalone Windows host', () => {
    expect(defaultNtlmNames('Srv01.Example.Test')).toEqual({
      netbiosComputer: 'SRV01',
      netbiosDomain: 'SRV01',
      dnsComputer: 'srv01.example.test',
      dnsDomain: 'example.test',
    });
  });

  it('uses the host name for every name when it has no domain, as a workgroup Windows host does', () => {
    expect(defaultNtlmNames('lab-machine-with-a-long-name')).toEqual({
      netbiosComputer: 'LAB-MACHINE-WIT',
      netbiosDomain: 'LAB-MACHINE-WIT',
      dnsComputer: 'lab-machine-with-a-long-name',
      dnsDomain: 'lab-machine-with-a-long-name',
    });
  });
});

describe('configuredNtlmNames', () => {
  it('takes each configured name and derives the rest', () => {
    expect(configuredNtlmNames({ ...NO_NAMES, 'Winrmd.NetbiosDomainName': 'CORP', 'Winrmd.DnsDomainName': 'corp.example' }, 'web7.lab')).toEqual({
      netbiosComputer: 'WEB7',
      netbiosDomain: 'CORP',
      dnsComputer: 'web7.lab',
      dnsDomain: 'corp.example',
    });
  });

  it('derives from Winrmd.DnsComputerName when set, and the NetBIOS domain from a set NetBIOS name', () => {
    expect(configuredNtlmNames({ ...NO_NAMES, 'Winrmd.DnsComputerName': 'dc01.ad.example', 'Winrmd.NetbiosComputerName': 'DC-ONE' }, 'ignored')).toEqual({
      netbiosComputer: 'DC-ONE',
      netbiosDomain: 'DC-ONE',
      dnsComputer: 'dc01.ad.example',
      dnsDomain: 'ad.example',
    });
  });
});

describe('the CHALLENGE', () => {
  it('carries the configured names and Winrmd.OsVersion, in the order Windows sends them', async () => {
    const config = await loadConfig({
      sets: [
        'Winrmd.NetbiosComputerName=WINSRV',
        'Winrmd.NetbiosDomainName=CONTOSO',
        'Winrmd.DnsComputerName=winsrv.contoso.local',
        'Winrmd.DnsDomainName=contoso.local',
        'Winrmd.OsVersion=10.0.17763',
      ],
    });
    // The CHALLENGE comes before any account is looked up: an empty store will do.
    const dir = await mkdtemp(join(tmpdir(), 'winrmd-ntlm-names-'));
    const factory = createContextFactory({
      users: UserStore.open(dir),
      names: configuredNtlmNames(config, 'host'),
      ntlmVersion: parseOsVersion(config['Winrmd.OsVersion']),
      httpsChannelBindingHash: undefined,
      channelBindingPolicy: 'Relaxed',
      kerberos: undefined,
    });
    const context = factory(negotiateMessage(), false);
    const result = await context?.step(negotiateMessage());
    if (result?.kind !== 'continue') throw new Error('no CHALLENGE');
    const challenge = parseChallenge(result.token);
    expect(challenge).toMatchObject({
      targetName: 'WINSRV',
      netbiosComputer: 'WINSRV',
      netbiosDomain: 'CONTOSO',
      dnsComputer: 'winsrv.contoso.local',
      dnsDomain: 'contoso.local',
      version: { major: 10, minor: 0, build: 17763, revision: 15 },
    });
    // MsvAvNbDomainName, NbComputerName, DnsDomainName, DnsComputerName, Timestamp, EOL.
    expect(challenge.avIds).toEqual([2, 1, 4, 3, 7, 0]);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('Winrmd.OsVersion', () => {
  it('must be major.minor.build within the CHALLENGE Version field', async () => {
    for (const bad of ['10.0', '10.0.20348.1', '256.0.1', '10.0.65536', 'ten']) {
      await expect(loadConfig({ sets: [`Winrmd.OsVersion=${bad}`] }), bad).rejects.toThrow(/Winrmd\.OsVersion/);
    }
    expect(parseOsVersion('6.3.9600')).toMatchObject({ productMajorVersion: 6, productMinorVersion: 3, productBuild: 9600 });
  });

});
