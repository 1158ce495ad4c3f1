import { mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Config } from './keys.js';

/** What the default depends on; tests pass their own, the CLI uses the process's. */
export interface StateDirEnvironment {
  readonly uid: number | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
}

function processEnvironment(): StateDirEnvironment {
  return { uid: process.getuid?.(), env: process.env, home: homedir() };
}

/**
 * Where winrmd keeps users.json and the generated certificate: `Winrmd.StateDir` if set, else
 * /var/lib/winrmd for root (a system service), else the XDG state directory of the user running it.
 */
export function resolveStateDir(config: Config, environment: StateDirEnvironment = processEnvironment()): string {
  const configured = config['Winrmd.StateDir'];
  // Resolved now so a later chdir cannot move it.
  if (configured !== '') return resolve(configured);
  if (environment.uid === 0) return '/var/lib/winrmd';
  const xdg = environment.env['XDG_STATE_HOME'];
  // The XDG spec says to ignore a relative XDG_STATE_HOME.
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'winrmd');
  return join(environment.home, '.local', 'state', 'winrmd');
}

/**
 * Creates the state directory (and missing parents) private to its owner, since it holds password
 * hashes and a TLS private key. An existing directory keeps the permissions its owner gave it.
 */
export async function ensureStateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await stat(dir);
  if (!info.isDirectory()) throw new Error(`state directory ${dir} exists but is not a directory`);
}
