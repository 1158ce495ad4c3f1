import { homedir } from 'node:os';
import type { Config } from '../config/index.js';
import { EnumerationRegistry } from './enumeration-registry.js';
import type { ServiceState } from './handlers/index.js';
import type { Logger } from './logger.js';
import { ShellRegistry } from './shell-registry.js';

export interface ServiceEnvironment {
  /** Environment every command starts from; defaults to winrmd's own, less its WINRMD_ variables. */
  readonly baseEnvironment?: Readonly<Record<string, string>>;
  readonly defaultWorkingDirectory?: string;
}

/** The state the WS-Management handlers share: shells, enumerations, settings. */
export function createServiceState(config: Config, log: Logger, environment: ServiceEnvironment = {}): ServiceState {
  return {
    config,
    shells: new ShellRegistry(
      { maxShellsPerUser: config['Winrs.MaxShellsPerUser'], maxConcurrentUsers: config['Winrs.MaxConcurrentUsers'] },
      log,
    ),
    enumerations: new EnumerationRegistry(() => config['Service.EnumerationTimeoutms']),
    baseEnvironment: environment.baseEnvironment ?? commandEnvironment(),
    defaultWorkingDirectory: environment.defaultWorkingDirectory ?? homedir(),
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
