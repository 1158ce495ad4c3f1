/**
 * Where the system programs winrmd itself runs are: util-linux's setpriv(1), prlimit(1) and
 * setsid(1), coreutils' env(1) and stty(1). Looked up once each in the system directories rather
 * than on a command's PATH, which the client sets.
 */
import { accessSync, constants } from 'node:fs';

import { CommandLaunchError } from './errors.js';

const DIRECTORIES = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'];

const found = new Map<string, string | undefined>();

export function findSetsid(): string {
  return findSystemProgram('setsid', 'util-linux');
}

export function findEnv(): string {
  return findSystemProgram('env', 'coreutils');
}

export function findStty(): string {
  return findSystemProgram('stty', 'coreutils');
}

/** The program's absolute path in the system directories; undefined when none has it. */
export function systemProgram(name: string): string | undefined {
  if (!found.has(name)) found.set(name, DIRECTORIES.map((directory) => `${directory}/${name}`).find(isExecutable));
  return found.get(name);
}

function findSystemProgram(name: string, packageName: string): string {
  const path = systemProgram(name);
  if (path === undefined) throw new CommandLaunchError('ENOENT', `console stdin needs ${name} (${packageName}), which is missing`);
  return path;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
