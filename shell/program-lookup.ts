/**
 * Finds the file a command's program names, the way spawn's execvp finds it: a name with a slash is
 * a path (relative to the working directory), any other name is looked up in the command's own PATH
 * (the C library's default path when it has none), and an empty PATH entry means the working
 * directory.
 *
 * Needed where the program is not spawned directly but exec'd by a wrapper (a command entering its
 * shell's memory cgroup first, shell/command-process.ts): a wrapper that fails to exec can only
 * exit (sh with 127), while a program spawned directly that does not exist is a launch failure the
 * client receives as a fault. Looking the program up first keeps that fault. What is found is what
 * the wrapper runs; a file removed between the lookup and the exec still ends as exit code 127.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';

import { CommandLaunchError } from './errors.js';

/** glibc's confstr(_CS_PATH): what execvp searches when the environment has no PATH. */
const DEFAULT_PATH = '/bin:/usr/bin';

type Verdict = 'runnable' | 'denied' | 'missing';

/**
 * The absolute path of the program (a name with a NUL byte as it is), or CommandLaunchError with the errno spawn would give: ENOENT
 * when nothing of that name exists, EACCES when what exists cannot be run (a directory, no x bit).
 */
export function findProgram(program: string, workingDirectory: string, environment: Readonly<Record<string, string>>): string {
  // No file has a NUL byte in its name: left as it is, spawn rejects the wrapper's argv (EINVAL).
  if (program.includes('\0')) return program;
  const candidates = program.includes('/')
    ? [resolve(workingDirectory, program)]
    : (environment['PATH'] ?? DEFAULT_PATH).split(':').map((dir) => resolve(workingDirectory, dir, program));
  let denied = false;
  for (const candidate of candidates) {
    const verdict = check(candidate);
    if (verdict === 'runnable') return candidate;
    if (verdict === 'denied') denied = true;
  }
  const code = denied ? 'EACCES' : 'ENOENT';
  throw new CommandLaunchError(code, `cannot start ${program}: ${code}`);
}

/** What execve(2) would make of the file, as far as the caller's permissions go. */
function check(path: string): Verdict {
  try {
    if (statSync(path).isDirectory()) return 'denied';
  } catch (error) {
    // A directory on the way that the user may not search is EACCES, as execve(2) reports it;
    // anything else (ENOENT, ENOTDIR) means nothing is there. execvp goes on to the next entry.
    return (error as NodeJS.ErrnoException).code === 'EACCES' ? 'denied' : 'missing';
  }
  try {
    accessSync(path, constants.X_OK);
    return 'runnable';
  } catch {
    return 'denied';
  }
}
