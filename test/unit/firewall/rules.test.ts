/** Firewall.Rules as written in a config: fields, defaults, lists, and mistakes named precisely. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIREWALL_RULES } from '../../../firewall/default-rules.js';
import { firewallRulesToJson, parseFirewallRules } from '../../../firewall/rules.js';
import { FirewallSyntaxError } from '../../../firewall/syntax-error.js';

describe('parseFirewallRules', () => {
  it('reads the default rules and writes them back unchanged', () => {
    const rules = parseFirewallRules(DEFAULT_FIREWALL_RULES);
    expect(rules).toHaveLength(4);
    expect(rules.map((rule) => [rule.profiles, rule.remoteAddresses.map((spec) => spec.kind)])).toEqual([
      [['Domain', 'Private'], ['any']],
      [['Public'], ['local-subnet']],
      [['Domain', 'Private'], ['any']],
      [['Public'], ['local-subnet']],
    ]);
    expect(firewallRulesToJson(rules)).toEqual(DEFAULT_FIREWALL_RULES);
  });

  it('fills in New-NetFirewallRule\'s defaults: enabled, Allow, any profile, port and address', () => {
    expect(firewallRulesToJson(parseFirewallRules([{ Name: 'open' }]))).toEqual([
      { Name: 'open', Enabled: true, Profiles: ['Domain', 'Private', 'Public'], Action: 'Allow', LocalPort: ['*'], RemoteAddress: ['*'] },
    ]);
  });

  it('takes fields in any case, comma lists or real lists, and canonicalizes keywords', () => {
    const json = firewallRulesToJson(
      parseFirewallRules([
        { name: ' lab ', ENABLED: 'False', profile: 'public, domain', action: 'block', localport: [5985, '6000-6010', 'https'], remoteaddress: 'localsubnet, 10.0.0.0/8, 2001:db8::1-2001:db8::9, any' },
      ]),
    );
    expect(json).toEqual([
      {
        Name: 'lab',
        Enabled: false,
        Profiles: ['Domain', 'Public'],
        Action: 'Block',
        LocalPort: ['5985', '6000-6010', 'HTTPS'],
        RemoteAddress: ['LocalSubnet', '10.0.0.0/8', '2001:db8::1-2001:db8::9', '*'],
      },
    ]);
  });

  it('reads JSON text, as --set gives it', () => {
    const rules = parseFirewallRules('[{"Name":"one","RemoteAddress":["192.0.2.7"]}]');
    expect(rules[0]?.remoteAddresses).toEqual([{ kind: 'range', range: { family: 4, first: 0xc0000207n, last: 0xc0000207n } }]);
  });

  it.each([
    ['{"Name":"x"}', /must be a list of rules/],
    ['[1', /not valid JSON/],
    [[{}], /rule 1 needs a Name/],
    [[{ Name: 'a' }, 'b'], /rule 2 is not a table/],
    [[{ Name: 'a', Port: 1 }], /rule 1 unknown field 'Port'/],
    [[{ Name: 'a', Profiles: 'Home' }], /rule 1 'a': 'Home' is not a profile/],
    [[{ Name: 'a', Profiles: [] }], /Profiles must be a non-empty list/],
    [[{ Name: 'a', Action: 'Deny' }], /Action must be Allow or Block/],
    [[{ Name: 'a', Enabled: 'yes' }], /Enabled must be true or false/],
    [[{ Name: 'a', LocalPort: 70000 }], /LocalPort '70000' is not a port/],
    [[{ Name: 'a', LocalPort: '90-80' }], /ends before it starts/],
    [[{ Name: 'a', RemoteAddress: '10.0.0.300' }], /'10.0.0.300' is not \*, LocalSubnet/],
    [[{ Name: 'a', RemoteAddress: '10.0.0.0/40' }], /prefix length too long/],
    [[{ Name: 'a', RemoteAddress: '10.0.0.9-10.0.0.1' }], /ends before it starts/],
    [[{ Name: 'a', RemoteAddress: '10.0.0.1-::1' }], /mixes IPv4 and IPv6/],
    [[{ Name: 'a', RemoteAddress: '10.0.0.1,,10.0.0.2' }], /empty item/],
    [[{ Name: 'a', name: 'b' }], /given twice/],
  ])('refuses %j', (raw, message) => {
    expect(() => parseFirewallRules(raw)).toThrow(FirewallSyntaxError);
    expect(() => parseFirewallRules(raw)).toThrow(message);
  });
});
