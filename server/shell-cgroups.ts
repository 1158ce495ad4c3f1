/**
 * Winrs.MaxMemoryPerShellMB through cgroup v2: each shell gets a cgroup whose memory.max is the
 * limit, and every command of the shell runs in it, so the limit bounds the shell as a whole.
 *
 * winrmd uses only a subtree it owns: its own cgroup (the `0::` line of /proc/self/cgroup), and only
 * when that cgroup is delegated to it (server/cgroup-delegation.ts: a systemd unit with
 * Delegate=yes, or the root of a container's own cgroup namespace). Anywhere else a manager owns the
 * cgroup and would undo or trip over what winrmd did there. Layout:
 *
 *   <own>/                       winrmd's delegated cgroup; +memory for its children
 *     winrmd/                    winrmd itself, and whatever else was in <own> (a container's init):
 *                                a cgroup that enables controllers for its children may not hold
 *                                processes ("no internal processes"), so they move to this leaf
 *     host-<pid>-<n>/            one per shell host; +memory for its children
 *       host/                    the host process alone, for the same rule
 *       shell-<n>/               one per shell: memory.max = the limit, memory.swap.max = 0
 *
 * Who moves the commands, and why it is race-free: the listener (root) moves the host's pid into
 * host-<n>/host right after the host is ready, before it has been asked to open any shell, so it has
 * no command yet. Each command then moves itself before it runs: it starts as `/bin/sh -c` that
 * writes its own pid to its shell's cgroup.procs and only then execs the command (shell/
 * command-process.ts), so nothing the command does, forks included, happens outside the cgroup (sh
 * run as `sh -c` reads no startup file: dash and bash-as-sh read $ENV only when interactive, so the
 * client's environment cannot run code before the write). The
 * host runs as the user, without capabilities; the kernel lets a process move another (here:
 * itself) when it may write the destination's cgroup.procs and the cgroup.procs of the common
 * ancestor of source and destination (cgroup-v2.rst, "Delegation Containment"; cgroup v2 has no
 * matching-uid rule). So the listener gives the user host-<n>/cgroup.procs (the common ancestor of
 * host/ and every shell-<n>) and each shell-<n>/cgroup.procs, nothing else: the user cannot move a
 * process out of host-<n> (every ancestor above it is root's), nor into host/ (its cgroup.procs is
 * root's), nor into host-<n> itself (the kernel refuses: it has controllers enabled), nor create
 * cgroups (the directories stay root's), nor change memory.max.
 *
 * RLIMIT_DATA (server/memory-limit.ts) stays on every host as well: it fails a single process's
 * allocation gracefully before the cgroup's OOM killer would act, and it still bounds each process
 * of a shell whose cgroup could not be made. Any cgroup failure is logged once and never fails a
 * Create.
 */
import type { CgroupFs } from './cgroup-fs.js';
import type { Logger } from './logger.js';

/** The leaf of winrmd's cgroup that winrmd itself moves to. */
export const SERVICE_LEAF = 'winrmd';

/** What ShellCgroups.setUp needs to know about winrmd's process. */
export interface CgroupContext {
  /** The text of /proc/self/cgroup. */
  readonly procSelfCgroup: string;
  readonly isRoot: boolean;
  /** Undefined when winrmd's cgroup (the path given) is delegated to it; else why it is not. */
  readonly delegation: (own: string) => string | undefined;
}

/** A host's cgroup: where its shells' cgroups go. */
export interface HostCgroup {
  readonly path: string;
  readonly uid: number;
}

/** A shell's cgroup: `procs` is the absolute path its commands write their pid to. */
export interface ShellCgroup {
  readonly path: string;
  readonly procs: string;
}

/** Why there is no cgroup path, for the start log; undefined when there is one. */
export type CgroupUnavailable = string;

/** winrmd's own cgroup from /proc/self/cgroup text: the path on the `0::` (unified) line. */
export function ownCgroupPath(procSelfCgroup: string): string | undefined {
  const line = procSelfCgroup.split('\n').find((entry) => entry.startsWith('0::'));
  const path = line?.slice(3).trim();
  return path === undefined || !path.startsWith('/') ? undefined : path;
}

function join(...parts: string[]): string {
  return parts.filter((part) => part !== '').join('/');
}

function listed(text: string, controller: string): boolean {
  return text.split(/\s+/).includes(controller);
}

export class ShellCgroups {
  /**
   * Numbers name the cgroups (shell ids come from clients: PSRP chooses its own), counted across
   * instances so that two in one process never share a name.
   */
  private static created = 0;
  private failureLogged = false;

  private constructor(
    private readonly fs: CgroupFs,
    private readonly base: string,
    private readonly log: Logger,
  ) {}

  /**
   * Takes over winrmd's own cgroup as described above; a reason instead when it is not usable (not
   * root, not delegated, no memory controller, the kernel refusing a write).
   */
  static setUp(fs: CgroupFs, context: CgroupContext, log: Logger): ShellCgroups | CgroupUnavailable {
    if (!context.isRoot) return 'winrmd is not root';
    const own = ownCgroupPath(context.procSelfCgroup);
    if (own === undefined) return 'no cgroup v2 line in /proc/self/cgroup';
    const notDelegated = context.delegation(own);
    if (notDelegated !== undefined) return notDelegated;
    const base = own.slice(1);
    try {
      if (!listed(fs.read(join(base, 'cgroup.controllers')), 'memory')) {
        return `the memory controller is not enabled for winrmd's cgroup ${own} (its parent's cgroup.subtree_control lacks it)`;
      }
      moveAllProcesses(fs, base, join(base, SERVICE_LEAF));
      if (!listed(fs.read(join(base, 'cgroup.subtree_control')), 'memory')) fs.write(join(base, 'cgroup.subtree_control'), '+memory');
      const cgroups = new ShellCgroups(fs, base, log);
      cgroups.removeStale();
      return cgroups;
    } catch (error) {
      return `cgroup v2 not usable in winrmd's cgroup ${own}: ${describe(error)}`;
    }
  }

  /** winrmd's own cgroup, which holds the shells' (for the start log). */
  get path(): string {
    return `/${this.base}`;
  }

  /**
   * A cgroup for a new host, with the host's process moved into its leaf; undefined (logged) when
   * that fails, and the host's shells then have RLIMIT_DATA alone.
   */
  forHost(pid: number, uid: number): HostCgroup | undefined {
    ShellCgroups.created += 1;
    const path = join(this.base, `host-${process.pid}-${ShellCgroups.created}`);
    try {
      this.fs.mkdir(join(path, 'host'));
      this.fs.write(join(path, 'cgroup.subtree_control'), '+memory');
      this.fs.write(join(path, 'host', 'cgroup.procs'), String(pid));
      this.fs.chown(join(path, 'cgroup.procs'), uid);
      return { path, uid };
    } catch (error) {
      this.failed('a shell host', error);
      this.removeTree(path);
      return undefined;
    }
  }

  /** A shell's cgroup, limited to `limitBytes`; undefined (logged) when it cannot be made. */
  forShell(host: HostCgroup, shellId: string, limitBytes: number): ShellCgroup | undefined {
    ShellCgroups.created += 1;
    const path = join(host.path, `shell-${ShellCgroups.created}`);
    try {
      this.fs.mkdir(path);
      this.fs.write(join(path, 'memory.max'), String(limitBytes));
      // Without swap.max = 0 a shell over its limit would be swapped out rather than bounded.
      if (this.fs.exists(join(path, 'memory.swap.max'))) this.fs.write(join(path, 'memory.swap.max'), '0');
      this.fs.chown(join(path, 'cgroup.procs'), host.uid);
      return { path, procs: this.fs.absolute(join(path, 'cgroup.procs')) };
    } catch (error) {
      this.failed(`shell ${shellId}`, error);
      this.removeTree(path);
      return undefined;
    }
  }

  /**
   * Removes a shell's cgroup once its commands are gone: whatever they left behind (a daemonised
   * grandchild) is killed through cgroup.kill first, since a cgroup with processes cannot go.
   */
  async removeShell(shell: ShellCgroup): Promise<void> {
    await this.removeEmptied(shell.path);
  }

  /** Removes a host's cgroup after the host has exited. */
  async removeHost(host: HostCgroup): Promise<void> {
    for (const child of this.childrenOf(host.path)) await this.removeEmptied(join(host.path, child));
    this.removeTree(host.path);
  }

  private async removeEmptied(path: string): Promise<void> {
    if (!this.fs.exists(path)) return;
    try {
      if (this.fs.exists(join(path, 'cgroup.kill'))) this.fs.write(join(path, 'cgroup.kill'), '1');
    } catch {
      // Older kernels (before 5.14) have no cgroup.kill; the commands' process groups were killed.
    }
    // Killed processes leave the cgroup once the kernel has reaped them, a moment later.
    for (let attempt = 0; attempt < RMDIR_ATTEMPTS; attempt += 1) {
      try {
        this.fs.rmdir(path);
        return;
      } catch (error) {
        if (attempt === RMDIR_ATTEMPTS - 1) this.log.warn({ event: 'cgroup-remove-failed', path, err: error }, 'a shell cgroup could not be removed');
        else await new Promise((resolve) => setTimeout(resolve, RMDIR_RETRY_MS));
      }
    }
  }

  /**
   * Leftovers of an earlier winrmd (killed before it could clean up): empty ones go. A cgroup named
   * after a winrmd still running (another instance, such as the test suite starts side by side) is
   * left alone, since its newest shell cgroup may be empty only because no command has started yet.
   */
  private removeStale(): void {
    for (const host of this.childrenOf(this.base)) {
      const owner = /^host-(\d+)-\d+$/.exec(host)?.[1];
      // Only host cgroups: the leaf winrmd itself is in, and whatever else is there, stay.
      if (owner === undefined || isRunning(Number(owner))) continue;
      this.removeTree(join(this.base, host));
    }
  }

  /** Best effort, depth first; a cgroup that still has processes stays. */
  private removeTree(path: string): void {
    for (const child of this.childrenOf(path)) this.removeTree(join(path, child));
    try {
      this.fs.rmdir(path);
    } catch {
      // Populated or already gone.
    }
  }

  private childrenOf(path: string): string[] {
    try {
      return this.fs.children(path);
    } catch {
      return [];
    }
  }

  private failed(what: string, error: unknown): void {
    if (this.failureLogged) return;
    this.failureLogged = true;
    this.log.warn(
      { event: 'cgroup-failed', what, err: error },
      'a shell memory cgroup could not be made; RLIMIT_DATA alone bounds that shell (logged once)',
    );
  }
}

/**
 * Moves every process of `from` to the leaf `to`, one pid per write as the kernel takes them. A
 * process forked meanwhile appears in `from` afterwards, hence the rounds; one that exits in
 * between is gone (ESRCH). Throws when `from` does not empty.
 */
function moveAllProcesses(fs: CgroupFs, from: string, to: string): void {
  fs.mkdir(to);
  for (let round = 0; round < MOVE_ROUNDS; round += 1) {
    const pids = fs.read(join(from, 'cgroup.procs')).split('\n').filter((pid) => pid !== '');
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        fs.write(join(to, 'cgroup.procs'), pid);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
  }
  throw new Error(`processes keep appearing in ${from}`);
}

const MOVE_ROUNDS = 5;
const RMDIR_ATTEMPTS = 20;
const RMDIR_RETRY_MS = 50;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
