/**
 * Firewall rules as the config writes them, modelled on Windows firewall rules (Name, Enabled,
 * Profiles, Action, LocalPort, RemoteAddress), checked and turned into the matcher's form. The
 * same code reads a YAML/TOML list of tables and the JSON text of `--set Firewall.Rules=[...]`.
 */
import type { JsonStructure } from '../config/json-value.js';
import { formatRemoteAddress, parseRemoteAddress, splitList, type RemoteAddressSpec } from './address-spec.js';
import { PROFILES, requireProfile, type Profile } from './profiles.js';
import { FirewallSyntaxError } from './syntax-error.js';

export type RuleAction = 'Allow' | 'Block';
export type Transport = 'http' | 'https';

/**
 * `HTTP` and `HTTPS` stand for the port winrmd's listener of that transport is on (whatever
 * Service.DefaultPorts says, or the port picked for 0), so the default rules follow the listeners.
 */
export type LocalPortSpec =
  | { readonly kind: 'any' }
  | { readonly kind: 'listener'; readonly transport: Transport }
  | { readonly kind: 'range'; readonly first: number; readonly last: number };

export interface FirewallRule {
  readonly name: string;
  readonly enabled: boolean;
  readonly profiles: readonly Profile[];
  readonly action: RuleAction;
  readonly localPorts: readonly LocalPortSpec[];
  readonly remoteAddresses: readonly RemoteAddressSpec[];
}

const FIELDS = ['Name', 'Enabled', 'Profiles', 'Action', 'LocalPort', 'RemoteAddress'] as const;
type Field = (typeof FIELDS)[number];

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list field may be a list, or one string with commas, or (LocalPort) one number. */
function listItems(value: unknown, field: Field): string[] {
  if (typeof value === 'number') return [String(value)];
  if (typeof value === 'string') return splitList(value, field);
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string' || typeof item === 'number')) {
    return value.map((item) => String(item).trim());
  }
  throw new FirewallSyntaxError(`${field} must be a non-empty list of strings${field === 'LocalPort' ? ' or numbers' : ''}`);
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new FirewallSyntaxError(`LocalPort '${text}' is not a port 0-65535`);
  return Number(text);
}

function parseLocalPort(text: string): LocalPortSpec {
  const lower = text.toLowerCase();
  if (lower === '*' || lower === 'any') return { kind: 'any' };
  if (lower === 'http' || lower === 'https') return { kind: 'listener', transport: lower };
  const [first = '', last, extra] = text.split('-').map((part) => part.trim());
  if (extra !== undefined) throw new FirewallSyntaxError(`LocalPort '${text}' is not a port or a range`);
  const range = { kind: 'range', first: parsePort(first), last: parsePort(last ?? first) } as const;
  if (range.first > range.last) throw new FirewallSyntaxError(`LocalPort range '${text}' ends before it starts`);
  return range;
}

function parseEnabled(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw new FirewallSyntaxError('Enabled must be true or false');
}

function parseAction(value: unknown): RuleAction {
  const lower = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (lower === 'allow') return 'Allow';
  if (lower === 'block') return 'Block';
  throw new FirewallSyntaxError('Action must be Allow or Block');
}

function parseProfiles(value: unknown): Profile[] {
  const items = listItems(value, 'Profiles');
  // Windows' `-Profile Any`: the rule applies whatever the network.
  if (items.some((item) => /^(any|all)$/i.test(item))) return [...PROFILES];
  const chosen = new Set(items.map(requireProfile));
  return PROFILES.filter((profile) => chosen.has(profile));
}

/** Field values by canonical name; `profile` and `Profiles` are the same field, in any case. */
function fieldsOf(table: Record<string, unknown>): Partial<Record<Field, unknown>> {
  const fields: Partial<Record<Field, unknown>> = {};
  for (const [key, value] of Object.entries(table)) {
    const lower = key.toLowerCase();
    const field = FIELDS.find((name) => name.toLowerCase() === lower || (name === 'Profiles' && lower === 'profile'));
    if (field === undefined) throw new FirewallSyntaxError(`unknown field '${key}' (fields: ${FIELDS.join(', ')})`);
    if (field in fields) throw new FirewallSyntaxError(`field ${field} is given twice`);
    fields[field] = value;
  }
  return fields;
}

/** One rule; a missing field takes New-NetFirewallRule's default (enabled, Allow, any profile, port, address). */
function parseRule(value: unknown): FirewallRule {
  if (!isTable(value)) throw new FirewallSyntaxError('is not a table of Name, Enabled, Profiles, Action, LocalPort, RemoteAddress');
  const fields = fieldsOf(value);
  const name = fields.Name;
  if (typeof name !== 'string' || name.trim() === '') throw new FirewallSyntaxError('needs a Name');
  try {
    return {
      name: name.trim(),
      enabled: fields.Enabled === undefined ? true : parseEnabled(fields.Enabled),
      profiles: fields.Profiles === undefined ? [...PROFILES] : parseProfiles(fields.Profiles),
      action: fields.Action === undefined ? 'Allow' : parseAction(fields.Action),
      localPorts: fields.LocalPort === undefined ? [{ kind: 'any' }] : listItems(fields.LocalPort, 'LocalPort').map(parseLocalPort),
      remoteAddresses:
        fields.RemoteAddress === undefined ? [{ kind: 'any' }] : listItems(fields.RemoteAddress, 'RemoteAddress').map(parseRemoteAddress),
    };
  } catch (error) {
    if (error instanceof FirewallSyntaxError) throw new FirewallSyntaxError(`'${name.trim()}': ${error.message}`);
    throw error;
  }
}

/**
 * Firewall.Rules from whatever the config source gave: a list of tables, or JSON text of one.
 * Throws FirewallSyntaxError naming the rule (by position) and the field.
 */
export function parseFirewallRules(raw: unknown): FirewallRule[] {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new FirewallSyntaxError(`is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (!Array.isArray(value)) throw new FirewallSyntaxError('must be a list of rules');
  return value.map((item: unknown, index) => {
    try {
      return parseRule(item);
    } catch (error) {
      if (error instanceof FirewallSyntaxError) throw new FirewallSyntaxError(`rule ${index + 1} ${error.message}`);
      throw error;
    }
  });
}

export function formatLocalPort(spec: LocalPortSpec): string {
  if (spec.kind === 'any') return '*';
  if (spec.kind === 'listener') return spec.transport.toUpperCase();
  return spec.first === spec.last ? String(spec.first) : `${spec.first}-${spec.last}`;
}

/** The canonical form stored in the configuration and printed by `winrmd config show`. */
export function firewallRulesToJson(rules: readonly FirewallRule[]): JsonStructure {
  return rules.map((rule) => ({
    Name: rule.name,
    Enabled: rule.enabled,
    Profiles: [...rule.profiles],
    Action: rule.action,
    LocalPort: rule.localPorts.map(formatLocalPort),
    RemoteAddress: rule.remoteAddresses.map(formatRemoteAddress),
  }));
}
