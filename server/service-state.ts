import { homedir } from 'node:os';
import type { Config } from '../config/index.js';
import { NO_OBSERVER, type ServiceObserver } from '../events/signals.js';
import { AccountResolver, type OsAccount } from '../accounts/index.js';
import type { UserRecord } from '../users/index.js';
import { currentProcessFacts, type ProcessFacts } from './account-mode.js';
import { EnumerationRegistry } from './enumeration-registry.js';
import type { ServiceState } from './handlers/index.js';
import type { Logger } from './logger.js';
import { RuntimeConfig } from './runtime-config.js';
import { ShellAccounts } from './shell-accounts.js';
import { ShellRegistry } from './shell-registry.js';
import { ShellHosts } from './shell-hosts.js';
import { findPrlimit, memoryLimitBytes, memoryLimitPrefix } from './memory-limit.js';
import type { ShellCgroups } from './shell-cgroups.js';
import { spawnHost, type HostLauncher } from '../host/spawn-host.js';

export interface ServiceEnvironment {
  /** Environment every command starts from; defaults to winrmd's own, less its WINRMD_ variables. */
  readonly baseEnvironment?: Readonly<Record<string, string>>;
  readonly defaultWorkingDirectory?: string;
  readonly observer?: ServiceObserver;
  /** The user store, for each user's Linux account (osUser); without it a user maps to the account of its name. */
  readonly users?: { find(name: string): Promise<UserRecord | undefined> };
  /** Account lookups and process facts, for tests; by default the system's. */
  readonly accountLookup?: { account(name: string): Promise<OsAccount | undefined> };
  readonly processFacts?: ProcessFacts;
  /**
   * How shell hosts start: spawnHost (a process per user, as start-endpoint.ts uses) by default;
   * inProcessHost for unit tests of the handlers, which need no built dist/.
   */
  readonly hostLauncher?: HostLauncher;
  /** Per-shell memory cgroups, when start-endpoint.ts found a usable cgroup v2 memory controller. */
  readonly shellCgroups?: ShellCgroups | undefined;
}

/** V8 heap of a shell host: output buffers live outside it (Buffers), so this bounds only leaks. */
const HOST_HEAP_LIMIT_MB = 128;
/** A host whose last shell is gone waits this long for the user's next Create. */
const HOST_LINGER_MS = 2000;

/** The state the WS-Management handlers share: shells, enumerations, settings. */
export function createServiceState(initial: Config, log: Logger, environment: ServiceEnvironment = {}): ServiceState {
  const runtime = new RuntimeConfig(initial);
  const config = runtime.values;
  const baseEnvironment = environment.baseEnvironment ?? commandEnvironment();
  const defaultWorkingDirectory = environment.defaultWorkingDirectory ?? homedir();
  const shells = new ShellRegistry(
    // Getters, so that quotas changed by a Put apply to the next Create.
    {
      get maxShellsPerUser() {
        return config['Winrs.MaxShellsPerUser'];
      },
      get maxConcurrentUsers() {
        return config['Winrs.MaxConcurrentUsers'];
      },
      get maxOperationsPerUser() {
        return config['Service.MaxConcurrentOperationsPerUser'];
      },
    },
    log,
  );
  const prlimitPath = findPrlimit();
  const hosts = new ShellHosts({
    launcher: environment.hostLauncher ?? spawnHost,
    log,
    heapLimitMb: HOST_HEAP_LIMIT_MB,
    lingerMs: HOST_LINGER_MS,
    limitPrefix: () => memoryLimitPrefix(config['Winrs.MaxMemoryPerShellMB'], prlimitPath),
    cgroups:
      environment.shellCgroups === undefined
        ? undefined
        : { groups: environment.shellCgroups, limitBytes: () => memoryLimitBytes(config['Winrs.MaxMemoryPerShellMB']) },
    onHostDied: (shellIds, reason) => {
      for (const id of shellIds) void shells.delete(id, `shell host ended (${reason})`);
    },
  });
  return {
    config,
    runtime,
    listeners: [],
    shells,
    hosts,
    enumerations: new EnumerationRegistry(() => config['Service.EnumerationTimeoutms']),
    baseEnvironment,
    defaultWorkingDirectory,
    accounts: new ShellAccounts({
      config,
      facts: environment.processFacts ?? currentProcessFacts(),
      accounts: environment.accountLookup ?? new AccountResolver(),
      users: environment.users,
      serviceEnvironment: baseEnvironment,
      serviceHome: defaultWorkingDirectory,
    }),
    observer: environment.observer ?? NO_OBSERVER,
  };
}

/** Commands inherit the service's environment, less winrmd's own variables (which may hold a password). */
function commandEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('WINRMD_')) env[name] = value;
  }
  return env;
}
