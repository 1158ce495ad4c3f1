/**
 * Starting a command as another Linux account. Node's spawn() can set a uid and gid, but libuv then
 * calls setgroups(0), dropping every supplementary group; util-linux's setpriv sets all three and
 * then execs the command, so the pid Node sees is the command's own and the process-group logic
 * (process-group.ts) works unchanged.
 */
import type { RunAsAccount } from './types.js';

export interface ProgramArgv {
  readonly file: string;
  readonly args: readonly string[];
}

/** The argv that runs `file args` as `runAs` (or as winrmd itself when undefined). */
export function runAsArgv(runAs: RunAsAccount | undefined, file: string, args: readonly string[]): ProgramArgv {
  if (runAs === undefined) return { file, args };
  const groups = runAs.groupIds.length === 0 ? ['--clear-groups'] : [`--groups=${runAs.groupIds.join(',')}`];
  return {
    file: runAs.setprivPath,
    args: [
      `--reuid=${runAs.uid}`,
      `--regid=${runAs.gid}`,
      ...groups,
      // An ordinary account loses every capability with the uid change; clearing the inheritable
      // set as well keeps a file capability from being inherited through an exec later on.
      '--inh-caps=-all',
      '--',
      file,
      ...args,
    ],
  };
}
