/**
 * Settings whose text has a syntax of its own, checked when the configuration is loaded so that
 * `config show`, `serve` and `firewall show` all refuse a mistake the same way, naming the setting.
 * The syntax belongs to the module that uses the setting; this file only connects the two.
 */
import { parseProfileAssignments } from '../firewall/profiles.js';
import { firewallRulesToJson, parseFirewallRules } from '../firewall/rules.js';
import { parseServiceFilter } from '../firewall/service-filter.js';
import { FirewallSyntaxError } from '../firewall/syntax-error.js';
import { parseOsVersion } from '../auth/ntlm/os-version.js';
import { parseRuleNames } from '../shell/command-mapping/rules.js';
import { parseSddl, SddlError } from '../auth/sddl.js';
import { ConfigError } from './config-error.js';
import type { JsonStructure, JsonValue } from './json-value.js';
import type { ConfigKey } from './keys.js';

/** Checks of string settings, which are stored as given once they pass. */
const STRING_CHECKS: Partial<Record<ConfigKey, (value: string) => unknown>> = {
  'Firewall.Profiles': parseProfileAssignments,
  'Service.IPv4Filter': (value) => parseServiceFilter(value, 4),
  'Service.IPv6Filter': (value) => parseServiceFilter(value, 6),
  'Winrmd.OsVersion': (value) => {
    if (parseOsVersion(value) === undefined) {
      throw new ConfigError(`Winrmd.OsVersion must be major.minor.build within 255.255.65535, e.g. 10.0.20348, not '${value}'`);
    }
  },
  'Service.RootSDDL': (value) => {
    try {
      parseSddl(value);
    } catch (error) {
      if (error instanceof SddlError) throw new ConfigError(`Service.RootSDDL is not a valid SDDL: ${error.message}`);
      throw error;
    }
  },
  'Winrmd.CommandMapping': (value) => {
    const { unknown } = parseRuleNames(value);
    if (unknown.length > 0) throw new ConfigError(`Winrmd.CommandMapping: no rule named ${unknown.map((n) => `'${n}'`).join(', ')}`);
  },
};

/** Parsers of 'json' settings: from a file's list or table, or JSON text, to the canonical form. */
const STRUCTURED_PARSERS: Partial<Record<ConfigKey, (raw: unknown) => JsonStructure>> = {
  'Firewall.Rules': (raw) => firewallRulesToJson(parseFirewallRules(raw)),
};

function inKeyContext<T>(key: ConfigKey, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof FirewallSyntaxError) throw new ConfigError(`${key}: ${error.message}`);
    throw error;
  }
}

export function checkStringSetting(key: ConfigKey, value: string): void {
  const check = STRING_CHECKS[key];
  if (check !== undefined) inKeyContext(key, () => check(value));
}

function toJsonValue(value: unknown, key: ConfigKey): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => toJsonValue(item, key));
  if (typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, toJsonValue(item, key)]));
  }
  throw new ConfigError(`${key} holds ${value instanceof Date ? 'a date' : `a ${typeof value}`}, which JSON cannot write`);
}

/** A 'json' setting: JSON text (from --set) or a file's list/table, through the key's own parser. */
export function parseStructuredSetting(key: ConfigKey, raw: unknown): JsonStructure {
  const parser = STRUCTURED_PARSERS[key];
  if (parser !== undefined) return inKeyContext(key, () => parser(raw));
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new ConfigError(`${key} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const json = toJsonValue(value, key);
  if (typeof json !== 'object' || json === null) throw new ConfigError(`${key} must be a list or a table`);
  return json;
}
