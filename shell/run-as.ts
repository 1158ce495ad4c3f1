/**
 * Starting a process as another Linux account. Node's spawn() can set a uid and gid, but libuv then
 * calls setgroups(0), dropping every supplementary group; util-linux's setpriv sets all three and
 * then execs the program, so the pid Node sees is the program's own.
 *
 * winrmd starts each user's shell host (host/main.ts) this way; the commands the host starts
 * inherit its identity and need no setpriv of their own.
 */
import type { RunAsAccount } from './types.js';

export interface ProgramArgv {
  readonly file: string;
  readonly args: readonly string[];
}

/** setpriv and its options, ending in `--`: what to put before a program to run it as `runAs`. */
export function runAsPrefix(runAs: RunAsAccount): string[] {
  const groups = runAs.groupIds.length === 0 ? ['--clear-groups'] : [`--groups=${runAs.groupIds.join(',')}`];
  return [
    runAs.setprivPath,
    `--reuid=${runAs.uid}`,
    `--regid=${runAs.gid}`,
    ...groups,
    // An ordinary account loses its effective capabilities with the uid change; clearing the
    // inheritable and bounding sets and setting no_new_privs as well means nothing it execs later
    // (a setuid or file-capability program) can get any back.
    '--inh-caps=-all',
    '--bounding-set=-all',
    '--no-new-privs',
    '--',
  ];
}

/** The argv that runs `file args` as `runAs` (or as winrmd itself when undefined). */
export function runAsArgv(runAs: RunAsAccount | undefined, file: string, args: readonly string[]): ProgramArgv {
  if (runAs === undefined) return { file, args };
  const [setpriv = runAs.setprivPath, ...options] = runAsPrefix(runAs);
  return { file: setpriv, args: [...options, file, ...args] };
}
