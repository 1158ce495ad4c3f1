/**
 * The shell hosts (host/): one per (Linux account, winrmd user), started at that user's first
 * shell, stopped a moment after the last one is gone. A host that exits for any reason is noticed
 * at once: whatever its commands left running is killed, and its shells leave the registry, so that
 * the next request on one gets the unknown-shell fault while the ones in flight got hostFailed.
 */
import { RemoteShell } from '../host/remote-shell.js';
import type { HostLauncher, LaunchedHost } from '../host/spawn-host.js';
import { signalGroup } from '../shell/process-group.js';
import type { RunAsAccount, ShellSettings } from '../shell/types.js';
import type { Logger } from './logger.js';
import type { HostCgroup, ShellCgroup, ShellCgroups } from './shell-cgroups.js';

export interface ShellHostsOptions {
  readonly launcher: HostLauncher;
  readonly log: Logger;
  /** V8 heap limit of each host, in MB. */
  readonly heapLimitMb: number;
  /** How long a host with no shell left is kept for the user's next Create. */
  readonly lingerMs: number;
  /** The argv prefix that limits a new host's memory (Winrs.MaxMemoryPerShellMB), read at each start. */
  readonly limitPrefix: () => readonly string[] | undefined;
  /**
   * Per-shell memory cgroups (server/shell-cgroups.ts), when winrmd has a usable cgroup v2 memory
   * controller, with the limit in bytes read at each Create (undefined: no limit).
   */
  readonly cgroups?: { readonly groups: ShellCgroups; readonly limitBytes: () => number | undefined } | undefined;
  /** Told the ids of the shells a host took with it when it died. */
  readonly onHostDied: (shellIds: readonly string[], reason: string) => void;
  /** Ends a process group a dead host left behind; SIGKILL to the group by default (tests watch it). */
  readonly killGroup?: ((pid: number) => void) | undefined;
}

export interface HostOwner {
  /** The winrmd user: each user has hosts of their own even when users share a Linux account. */
  readonly user: string;
  readonly uid: number;
  readonly runAs: RunAsAccount | undefined;
}

interface HostEntry {
  readonly key: string;
  readonly started: Promise<LaunchedHost>;
  /** The host's cgroup, set as it starts when there are shell cgroups. */
  cgroup: HostCgroup | undefined;
  /**
   * The host's shells, until the host confirms each one's close: a set, not a map by id, since a
   * client may give a new shell the id of one whose close is still under way.
   */
  readonly shells: Set<RemoteShell>;
  /** Process groups of shells closed while the host could not end them (it hangs): killed at its end. */
  readonly strays: Set<number>;
  /** Shells being opened: counted so that a linger timer cannot stop the host under them. */
  opening: number;
  linger: NodeJS.Timeout | undefined;
  /** Set once the host is being stopped or has died: no new shell goes to it. */
  ended: boolean;
}

/** Grace for a host to end its commands and exit before it is killed. */
const STOP_GRACE_MS = 5000;

export class ShellHosts {
  private readonly hosts = new Map<string, HostEntry>();

  constructor(private readonly options: ShellHostsOptions) {}

  /** Hosts running or starting. */
  get size(): number {
    return this.hosts.size;
  }

  /** Opens a shell in the owner's host, starting the host first if the owner has none. */
  async openShell(owner: HostOwner, shellId: string, settings: ShellSettings): Promise<RemoteShell> {
    const entry = this.entryFor(owner);
    clearTimeout(entry.linger);
    entry.linger = undefined;
    entry.opening += 1;
    try {
      const host = await entry.started;
      const cgroup = this.shellCgroup(entry, shellId);
      let shell: RemoteShell;
      try {
        shell = await RemoteShell.open(shellId, cgroup === undefined ? settings : { ...settings, memoryCgroupProcs: cgroup.procs }, host.client);
      } catch (error) {
        if (cgroup !== undefined) void this.options.cgroups?.groups.removeShell(cgroup);
        throw error;
      }
      entry.shells.add(shell);
      shell.onClosed = () => {
        this.release(entry, shell);
        // After the host's closeShell: whatever it did not end (a hung host's) goes with cgroup.kill.
        if (cgroup !== undefined) void this.options.cgroups?.groups.removeShell(cgroup);
      };
      return shell;
    } finally {
      entry.opening -= 1;
      this.lingerIfIdle(entry);
    }
  }

  /** Stops every host (each ends its commands first); for winrmd's shutdown. */
  async closeAll(): Promise<void> {
    const entries = [...this.hosts.values()];
    await Promise.all(entries.map((entry) => this.stop(entry)));
  }

  private entryFor(owner: HostOwner): HostEntry {
    const key = `${owner.uid}:${owner.user.toLowerCase()}`;
    const existing = this.hosts.get(key);
    if (existing !== undefined && !existing.ended) return existing;
    const launched = this.options.launcher({ runAs: owner.runAs, heapLimitMb: this.options.heapLimitMb, limitPrefix: this.options.limitPrefix() });
    // The host enters its cgroup before `started` resolves, so before it is asked for any shell
    // and so before it has started any command (server/shell-cgroups.ts says why that matters).
    const started = launched.then((host) => {
      const groups = this.options.cgroups?.groups;
      if (groups !== undefined && host.pid !== undefined) entry.cgroup = groups.forHost(host.pid, owner.uid);
      return host;
    });
    const entry: HostEntry = { key, started, cgroup: undefined, shells: new Set(), strays: new Set(), opening: 0, linger: undefined, ended: false };
    this.hosts.set(key, entry);
    started.then(
      (host) => {
        this.options.log.info({ event: 'shell-host-started', user: owner.user, uid: owner.uid, pid: host.pid }, 'shell host started');
        host.client.onUnresponsive = (reason) => {
          // Killed rather than left to fault every request until its user's shells idle out; its
          // exit then runs the same path as any death (onExit), and the next Create starts afresh.
          this.options.log.warn({ event: 'shell-host-hung', user: owner.user, uid: owner.uid, pid: host.pid, reason }, 'a shell host hangs; killing it');
          entry.ended = true;
          this.forget(entry);
          host.kill();
        };
        void host.exited.then((reason) => {
          this.onExit(entry, host, reason);
        });
      },
      (error: unknown) => {
        this.options.log.error({ event: 'shell-host-failed', user: owner.user, uid: owner.uid, err: error }, 'a shell host could not start');
        this.forget(entry);
      },
    );
    return entry;
  }

  /** The shell's cgroup, when its host has a cgroup and there is a limit. */
  private shellCgroup(entry: HostEntry, shellId: string): ShellCgroup | undefined {
    const cgroups = this.options.cgroups;
    const limitBytes = cgroups?.limitBytes();
    if (cgroups === undefined || entry.cgroup === undefined || limitBytes === undefined) return undefined;
    return cgroups.groups.forShell(entry.cgroup, shellId, limitBytes);
  }

  private release(entry: HostEntry, shell: RemoteShell): void {
    entry.shells.delete(shell);
    if (!shell.hostIsDead) for (const pid of shell.processGroups()) entry.strays.add(pid);
    this.lingerIfIdle(entry);
  }

  private lingerIfIdle(entry: HostEntry): void {
    if (entry.shells.size > 0 || entry.opening > 0 || entry.ended || entry.linger !== undefined) return;
    entry.linger = setTimeout(() => void this.stop(entry), this.options.lingerMs);
    entry.linger.unref();
  }

  private async stop(entry: HostEntry): Promise<void> {
    clearTimeout(entry.linger);
    entry.ended = true;
    this.forget(entry);
    const host = await entry.started.catch(() => undefined);
    if (host === undefined) return;
    await host.stop(STOP_GRACE_MS);
  }

  private onExit(entry: HostEntry, host: LaunchedHost, reason: string): void {
    const wasStopped = entry.ended;
    entry.ended = true;
    this.forget(entry);
    clearTimeout(entry.linger);
    const shells = [...entry.shells];
    // The host ends its commands when it can; when it was killed, they are still running, in their
    // own process groups, as the user: end them here (winrmd is root or that very user).
    const groups = new Set([...entry.strays, ...shells.flatMap((shell) => shell.processGroups())]);
    const killGroup =
      this.options.killGroup ??
      ((pid: number) => {
        signalGroup(pid, 'SIGKILL');
      });
    for (const pid of groups) killGroup(pid);
    entry.shells.clear();
    entry.strays.clear();
    // After the kills above: the host and its commands have left their cgroups (or are killed there).
    if (entry.cgroup !== undefined) void this.options.cgroups?.groups.removeHost(entry.cgroup);
    if (!wasStopped || shells.length > 0) {
      this.options.log.warn({ event: 'shell-host-ended', pid: host.pid, reason, shells: shells.length }, 'a shell host ended; its shells are gone');
    }
    if (shells.length > 0) this.options.onHostDied(shells.map((shell) => shell.id), reason);
  }

  private forget(entry: HostEntry): void {
    if (this.hosts.get(entry.key) === entry) this.hosts.delete(entry.key);
  }
}
