/**
 * Where the system programs a console command needs are: util-linux's setsid(1), coreutils' env(1)
 * and stty(1) (console-stdin.ts). Looked up in the system directories rather than on the command's
 * PATH, which the client sets.
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

function findSystemProgram(name: string, packageName: string): string {
  if (!found.has(name)) found.set(name, DIRECTORIES.map((directory) => `${directory}/${name}`).find(isExecutable));
  const path = found.get(name);
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
