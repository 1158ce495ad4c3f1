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
 * Where winrmd is root in a cgroup delegated to it with the memory controller, each shell also gets
 * a cgroup with the limit, which bounds the shell as a whole (server/shell-cgroups.ts).
 */
import { systemProgram } from '../shell/index.js';

export function findPrlimit(): string | undefined {
  return systemProgram('prlimit');
}

/**
 * The least limit applied: node itself (the host) needs about 96 MB of data mappings to start, so
 * a smaller setting would make every Create fail rather than bound the commands.
 */
export const MIN_MEMORY_LIMIT_MB = 128;

/** The limit in bytes, at least MIN_MEMORY_LIMIT_MB; undefined for no limit (0 or less). */
export function memoryLimitBytes(limitMb: number): number | undefined {
  if (limitMb <= 0) return undefined;
  return Math.min(Math.max(limitMb, MIN_MEMORY_LIMIT_MB) * 1024 * 1024, Number.MAX_SAFE_INTEGER);
}

/** The argv prefix that starts a host under the limit; undefined for no limit (0) or no prlimit. */
export function memoryLimitPrefix(limitMb: number, prlimitPath: string | undefined): string[] | undefined {
  const bytes = memoryLimitBytes(limitMb);
  if (bytes === undefined || prlimitPath === undefined) return undefined;
  return [prlimitPath, `--data=${bytes}`, '--'];
}
