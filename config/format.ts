import type { Config } from './keys.js';
import { CONFIG_KEY_NAMES } from './resolve-key.js';

const INDENT = '    ';

/** A section: its settings and subsections, in the order they first appear in CONFIG_KEYS. */
interface Section {
  readonly entries: Map<string, Section | string | number | boolean>;
}

function buildTree(config: Config): Section {
  const root: Section = { entries: new Map() };
  for (const key of CONFIG_KEY_NAMES) {
    const parts = key.split('.');
    const leaf = parts.pop() ?? key;
    let section = root;
    for (const part of parts) {
      const existing = section.entries.get(part);
      if (typeof existing === 'object') {
        section = existing;
      } else {
        const created: Section = { entries: new Map() };
        section.entries.set(part, created);
        section = created;
      }
    }
    section.entries.set(leaf, config[key]);
  }
  return root;
}

function render(section: Section, depth: number, lines: string[]): void {
  const indent = INDENT.repeat(depth);
  for (const [name, value] of section.entries) {
    if (typeof value === 'object') {
      lines.push(`${indent}${name}`);
      render(value, depth + 1, lines);
    } else if (value === '') {
      // Windows prints an empty setting as its bare name (e.g. `CertificateThumbprint`).
      lines.push(`${indent}${name}`);
    } else {
      lines.push(`${indent}${name} = ${String(value)}`);
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
