/** The firewall's part of the configuration, parsed once into the matcher's form. */
import { ConfigError } from '../config/config-error.js';
import type { Config } from '../config/keys.js';
import { requireProfile, parseProfileAssignments, type Profile, type ProfileAssignment } from './profiles.js';
import { parseFirewallRules, type FirewallRule } from './rules.js';
import { parseServiceFilter, type ServiceFilter } from './service-filter.js';
import { FirewallSyntaxError } from './syntax-error.js';

export interface FirewallSettings {
  /** Firewall.Enabled: false skips the rules (the Service filters still apply, as they are WinRM's). */
  readonly enabled: boolean;
  readonly defaultProfile: Profile;
  readonly profileAssignments: readonly ProfileAssignment[];
  readonly rules: readonly FirewallRule[];
  readonly ipv4Filter: ServiceFilter;
  readonly ipv6Filter: ServiceFilter;
}

function parsed<T>(key: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof FirewallSyntaxError) throw new ConfigError(`${key}: ${error.message}`);
    throw error;
  }
}

/** Throws ConfigError naming the setting, though loadConfig has already checked each of them. */
export function firewallSettingsFrom(config: Config): FirewallSettings {
  return {
    enabled: config['Firewall.Enabled'],
    defaultProfile: parsed('Firewall.DefaultProfile', () => requireProfile(config['Firewall.DefaultProfile'])),
    profileAssignments: parsed('Firewall.Profiles', () => parseProfileAssignments(config['Firewall.Profiles'])),
    rules: parsed('Firewall.Rules', () => parseFirewallRules(config['Firewall.Rules'])),
    ipv4Filter: parsed('Service.IPv4Filter', () => parseServiceFilter(config['Service.IPv4Filter'], 4)),
    ipv6Filter: parsed('Service.IPv6Filter', () => parseServiceFilter(config['Service.IPv6Filter'], 6)),
  };
}
