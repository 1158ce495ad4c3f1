import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';
import { CONFIG_KEYS } from './keys.js';
import type { RawConfigValue } from './parse-value.js';
import { resolveConfigKey } from './resolve-key.js';

/** One setting read from a file: its dotted name as written (not yet matched to a key) and value. */
export interface FileSetting {
  readonly name: string;
  readonly value: RawConfigValue;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A structured ('json') setting takes its list or table whole, e.g. Firewall.Rules. */
function isStructuredSetting(name: string): boolean {
  const key = resolveConfigKey(name);
  return key !== undefined && CONFIG_KEYS[key].type === 'json';
}

/**
 * Turns `{ Service: { Auth: { Basic: false } } }` into `Service.Auth.Basic = false`, so a file may
 * nest tables, use dotted names, or mix both. Lists are passed on as values: only a structured
 * setting accepts one, and parseConfigValue says so for the others.
 */
function flatten(table: Record<string, unknown>, prefix: string, into: FileSetting[], file: string): void {
  for (const [part, value] of Object.entries(table)) {
    const name = prefix === '' ? part : `${prefix}.${part}`;
    if (isTable(value) && !isStructuredSetting(name)) {
      flatten(value, name, into, file);
    } else if (isTable(value) || Array.isArray(value)) {
      into.push({ name, value });
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      into.push({ name, value });
    } else if (value === null) {
      // YAML's `KeyFile:` with nothing after it: the user means "empty", which only fits a string
      // setting; parseConfigValue rejects '' for numbers and booleans with a clear message.
      into.push({ name, value: '' });
    } else {
      throw new ConfigError(`${file}: ${name} must be a single value, not a date`);
    }
  }
}

function parseText(file: string, text: string): unknown {
  const extension = extname(file).toLowerCase();
  try {
    if (extension === '.yaml' || extension === '.yml') return parseYaml(text);
    if (extension === '.toml') return parseToml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`${file} is not valid ${extension === '.toml' ? 'TOML' : 'YAML'}: ${reason}`);
  }
  throw new ConfigError(`${file}: unknown config file type; name it *.yaml, *.yml or *.toml`);
}

/** Reads a YAML or TOML config file (chosen by extension) into flat dotted settings, in file order. */
export async function readConfigFile(file: string): Promise<FileSetting[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`cannot read config file ${file}: ${reason}`);
  }
  const document = parseText(file, text);
  // An empty YAML file parses to null (or undefined): it just sets nothing.
  if (document === null || document === undefined) return [];
  if (!isTable(document)) throw new ConfigError(`${file}: the top level must be a table of settings`);
  const settings: FileSetting[] = [];
  flatten(document, '', settings, file);
  return settings;
}
