/**
 * The running configuration. A Put on the configuration resource changes it while winrmd runs, so
 * it is one object that everything shares: ServiceState.config is this holder's live view, and
 * whatever reads a key in RUNTIME_KEYS reads it there when it needs it, never from a copy taken at
 * start. The readers are: the dispatcher and handlers/limits.ts (MaxEnvelopeSizekb, MaxTimeoutms),
 * the HTTP listener (MaxEnvelopeSizekb as the body limit, AllowUnencrypted), the AuthGate and
 * Identify (AllowUnencrypted, Auth.Basic, Auth.Negotiate, RootSDDL, through getters made in start-endpoint),
 * the enumeration replies (MaxBatchItems) and registry (EnumerationTimeoutms), the shell registry
 * (Winrs.MaxShellsPerUser, MaxConcurrentUsers, Service.MaxConcurrentOperationsPerUser), and Create and Command (the other Winrs keys).
 */
import type { Config, ConfigKey } from '../config/index.js';

/**
 * Keys a Put may change while winrmd runs: each is read live as above. The rest (listener ports
 * and addresses, certificates, keytab, the Kerberos scheme, firewall) are set up once at
 * start; a Put that changes one is refused, and one that sends its current value back (as
 * `winrm set` and cloudbase-init do, with the whole resource they read) is accepted.
 * Winrs.MaxMemoryPerShellMB applies to shell hosts started after the change (server/memory-limit.ts).
 */
export const RUNTIME_KEYS: ReadonlySet<ConfigKey> = new Set<ConfigKey>([
  'Service.MaxEnvelopeSizekb',
  'Service.MaxTimeoutms',
  'Service.MaxBatchItems',
  'Service.EnumerationTimeoutms',
  'Service.AllowUnencrypted',
  'Service.Auth.Basic',
  'Service.Auth.Negotiate',
  'Service.RootSDDL',
  'Winrs.AllowRemoteShellAccess',
  'Winrs.IdleTimeout',
  'Winrs.MaxConcurrentUsers',
  'Winrs.MaxShellRunTime',
  'Winrs.MaxProcessesPerShell',
  'Winrs.MaxMemoryPerShellMB',
  'Winrs.MaxShellsPerUser',
]);

/**
 * Smallest values [MS-WSMV] 2.2.4.10 (ConfigType) allows; smaller ones would leave the service
 * unable to answer even the Put that could repair them.
 */
export const RUNTIME_MINIMUMS: Readonly<Partial<Record<ConfigKey, number>>> = {
  'Service.MaxEnvelopeSizekb': 32,
  'Service.MaxTimeoutms': 500,
  'Service.MaxBatchItems': 1,
};

type MutableConfig = { -readonly [K in ConfigKey]: Config[K] };

export class RuntimeConfig {
  readonly #values: MutableConfig;

  constructor(initial: Config) {
    this.#values = { ...initial };
  }

  /** The live values: a later apply() shows through this same object. */
  get values(): Config {
    return this.#values;
  }

  /** Sets checked values of RUNTIME_KEYS, all of them or (on a bad key) none. */
  apply(changes: ReadonlyMap<ConfigKey, Config[ConfigKey]>): void {
    for (const key of changes.keys()) {
      if (!RUNTIME_KEYS.has(key)) throw new Error(`${key} cannot change while winrmd runs`);
    }
    // Values come from parseConfigValue(key, ...), so each matches its key's type; TypeScript
    // cannot correlate a union key with its value, hence the widening (as config/load.ts does).
    const target = this.#values as Record<ConfigKey, Config[ConfigKey]>;
    for (const [key, value] of changes) target[key] = value;
  }
}
