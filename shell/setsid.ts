/**
 * Where util-linux's setsid(1) is: console commands start through `setsid --ctty` (console-stdin.ts).
 * Looked up in the system directories rather than on the command's PATH, which the client sets.
 */
import { accessSync, constants } from 'node:fs';

import { CommandLaunchError } from './errors.js';

const CANDIDATES = ['/usr/bin/setsid', '/bin/setsid', '/usr/sbin/setsid', '/sbin/setsid'];

let found: string | undefined;

export function findSetsid(): string {
  found ??= CANDIDATES.find(isExecutable);
  if (found === undefined) throw new CommandLaunchError('ENOENT', 'console stdin needs setsid (util-linux), which is missing');
  return found;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
