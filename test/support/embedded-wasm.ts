/**
 * The WebAssembly kernels (auth/ntlm/rc4-kernel.ts, protocol/xml/control-bytes.ts) carry their
 * module as base64 beside its text in a comment. This compiles that text with wabt's wat2wasm
 * (installed by scripts/test.sh) so a test can tell whether the two still agree.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { REPO_ROOT } from './server-process.js';

export interface EmbeddedModule {
  /** The module the source embeds. */
  readonly embedded: Buffer;
  /** What its commented text compiles to today. */
  readonly compiled: Buffer;
}

export function compileEmbeddedModule(sourcePath: string): EmbeddedModule {
  const source = readFileSync(join(REPO_ROOT, sourcePath), 'utf8');
  const text = /```wat\n([\s\S]*?)\n \* ```/.exec(source)?.[1];
  const base64 = /const MODULE_BASE64 =\s*'([^']+)'/.exec(source)?.[1];
  if (text === undefined || base64 === undefined) throw new Error(`${sourcePath}: no module text or no embedded module`);
  const dir = mkdtempSync(join(tmpdir(), 'winrmd-wat-'));
  try {
    const watPath = join(dir, 'module.wat');
    writeFileSync(watPath, text.replace(/^ \* ?/gm, ''));
    let compiled: Buffer;
    try {
      compiled = execFileSync('wat2wasm', [watPath, '--output=-']);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error("wat2wasm is missing: scripts/test.sh installs Debian's wabt", { cause: error });
      throw error;
    }
    return { embedded: Buffer.from(base64, 'base64'), compiled };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
