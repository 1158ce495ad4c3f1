/**
 * Finding pwsh: the one part of the command mapping that looks at the file system. Done per
 * command, with the command's own PATH, so that a pwsh installed while winrmd runs is used.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

/**
 * The executable `nameOrPath` names: itself when it holds a slash, else the first match in the
 * absolute directories of `pathVariable`, as execvp looks it up (relative entries would depend on
 * the working directory a client chose, so they are skipped).
 */
export async function findExecutable(nameOrPath: string, pathVariable: string | undefined): Promise<string | undefined> {
  if (nameOrPath === '') return undefined;
  if (nameOrPath.includes('/')) return (await isExecutableFile(nameOrPath)) ? nameOrPath : undefined;
  for (const directory of (pathVariable ?? '').split(':')) {
    if (!isAbsolute(directory)) continue;
    const candidate = join(directory, nameOrPath);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Service.PowerShellPath, or pwsh on PATH when it is empty. */
export function findPowerShell(configuredPath: string, pathVariable: string | undefined): Promise<string | undefined> {
  return findExecutable(configuredPath.trim() === '' ? 'pwsh' : configuredPath.trim(), pathVariable);
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
