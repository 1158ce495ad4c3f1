import type { JsonStructure, JsonValue } from './json-value.js';
import { CONFIG_KEYS, type Config, type ConfigKeySpec } from './keys.js';
import { CONFIG_KEY_NAMES } from './resolve-key.js';

const INDENT = '    ';

/** A section: its settings and subsections, in the order they first appear in CONFIG_KEYS. */
class Section {
  readonly entries = new Map<string, Section | Setting>();
}

/** One setting's value, with the name `config show` gives each item of a list of tables. */
interface Setting {
  readonly value: string | number | boolean | JsonStructure;
  readonly itemName: string | undefined;
}

function buildTree(config: Config): Section {
  const root = new Section();
  for (const key of CONFIG_KEY_NAMES) {
    const parts = key.split('.');
    const leaf = parts.pop() ?? key;
    let section = root;
    for (const part of parts) {
      const existing = section.entries.get(part);
      if (existing instanceof Section) {
        section = existing;
      } else {
        const created = new Section();
        section.entries.set(part, created);
        section = created;
      }
    }
    const spec: ConfigKeySpec = CONFIG_KEYS[key];
    section.entries.set(leaf, { value: config[key], itemName: spec.itemName });
  }
  return root;
}

function isScalar(value: JsonValue): value is string | number | boolean | null {
  return typeof value !== 'object' || value === null;
}

/**
 * A structured value the way winrm prints nested resources: a table as a section of `Name = value`
 * lines, a list of scalars as `a, b`, a list of tables as one section per item.
 */
function renderJson(name: string, value: JsonValue, itemName: string | undefined, depth: number, lines: string[]): void {
  const indent = INDENT.repeat(depth);
  if (isScalar(value)) {
    lines.push(value === '' || value === null ? `${indent}${name}` : `${indent}${name} = ${String(value)}`);
  } else if (Array.isArray(value)) {
    const items: readonly JsonValue[] = value;
    if (items.every(isScalar)) {
      lines.push(items.length === 0 ? `${indent}${name}` : `${indent}${name} = ${items.map(String).join(', ')}`);
      return;
    }
    lines.push(`${indent}${name}`);
    for (const item of items) renderJson(itemName ?? 'Item', item, undefined, depth + 1, lines);
  } else {
    lines.push(`${indent}${name}`);
    for (const [field, item] of Object.entries(value)) renderJson(field, item, undefined, depth + 1, lines);
  }
}

function render(section: Section, depth: number, lines: string[]): void {
  const indent = INDENT.repeat(depth);
  for (const [name, entry] of section.entries) {
    if (entry instanceof Section) {
      lines.push(`${indent}${name}`);
      render(entry, depth + 1, lines);
    } else if (typeof entry.value === 'object') {
      renderJson(name, entry.value, entry.itemName, depth, lines);
    } else if (entry.value === '') {
      // Windows prints an empty setting as its bare name (e.g. `CertificateThumbprint`).
      lines.push(`${indent}${name}`);
    } else {
      lines.push(`${indent}${name} = ${String(entry.value)}`);
    }
  }
}

/**
 * The configuration as `winrm get winrm/config` prints it, so output can be compared side by side
 * with a Windows host: `Config`, then four spaces per level, `Name = value`, sections as bare names.
 * No trailing newline.
 */
export function formatConfig(config: Config): string {
  const lines = ['Config'];
  render(buildTree(config), 1, lines);
  return lines.join('\n');
}
