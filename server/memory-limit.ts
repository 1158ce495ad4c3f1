/**
 * Winrs.MaxMemoryPerShellMB. The limit is a resource limit set on the user's shell host as it
 * starts: util-linux's prlimit sets RLIMIT_DATA and execs setpriv, which execs node; the host and
 * every command it starts (and everything those start) inherit it, as a hard limit the user
 * cannot raise. So it bounds each process of the user's shells, the host included: a host that
 * exceeds it dies alone, and its shells fault (server/shell-hosts.ts). A Put that changes the
 * setting applies to hosts started afterwards. RLIMIT_DATA rather than RLIMIT_AS: since Linux 4.7 it counts the
 * private writable memory a process maps (heap and anonymous mmap), which is what "memory used"
 * means, while RLIMIT_AS also counts address space merely reserved, which runtimes such as .NET
 * (PowerShell) and Java reserve by the gigabyte and would fail to start under a 1 GB limit. An
 * allocation beyond the limit fails (Python raises MemoryError, C's malloc returns NULL); the
 * command exits with whatever code it chooses and the client receives it as usual.
 *
 * A cgroup v2 memory controller would bound the shell as a whole (all its commands together);
 * winrmd does not use one yet — see the README (Accounts and shells).
 */
import { readFileSync } from 'node:fs';
import { systemProgram } from '../shell/index.js';

/**
 * Whether this machine has a cgroup v2 memory controller winrmd could use (a unified hierarchy
 * whose cgroup.controllers lists memory). Reported at start; enforcement is RLIMIT_DATA either way.
 */
export function hasCgroupV2Memory(root = '/sys/fs/cgroup'): boolean {
  for (const dir of [root, `${root}/unified`]) {
    try {
      if (readFileSync(`${dir}/cgroup.controllers`, 'utf8').split(/\s+/).includes('memory')) return true;
    } catch {
      // Not a cgroup2 mount.
    }
  }
  return false;
}

export function findPrlimit(): string | undefined {
  return systemProgram('prlimit');
}

/**
 * The least limit applied: node itself (the host) needs about 96 MB of data mappings to start, so
 * a smaller setting would make every Create fail rather than bound the commands.
 */
export const MIN_MEMORY_LIMIT_MB = 128;

/** The argv prefix that starts a host under the limit; undefined for no limit (0) or no prlimit. */
export function memoryLimitPrefix(limitMb: number, prlimitPath: string | undefined): string[] | undefined {
  if (limitMb <= 0 || prlimitPath === undefined) return undefined;
  const bytes = Math.min(Math.max(limitMb, MIN_MEMORY_LIMIT_MB) * 1024 * 1024, Number.MAX_SAFE_INTEGER);
  return [prlimitPath, `--data=${bytes}`, '--'];
}
