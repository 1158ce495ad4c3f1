import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The version from winrmd's package.json. This file runs from cli/ under tests and from dist/cli/
 * when built, so the package root is found by walking up rather than by a fixed relative path.
 */
export async function readVersion(): Promise<string> {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest: unknown = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
      if (typeof manifest === 'object' && manifest !== null && 'name' in manifest && manifest.name === 'winrmd') {
        return 'version' in manifest && typeof manifest.version === 'string' ? manifest.version : 'unknown';
      }
    } catch {
      // No readable package.json here; keep looking further up.
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
