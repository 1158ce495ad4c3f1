/**
 * The options every command that reads the configuration shares (--config, --state-dir, --set),
 * and the serve command's extra flags, turned into ConfigSources for loadConfig.
 */
import { ConfigError, parseConfigValue, type ConfigSources } from '../config/load.js';
import type { ConfigKey } from '../config/keys.js';
import type { RawConfigValue } from '../config/parse-value.js';
import { parseArgv, UsageError } from './usage-error.js';

export const COMMON_OPTIONS = {
  config: { type: 'string' },
  'state-dir': { type: 'string' },
  set: { type: 'string', multiple: true },
} as const;

export interface CommonOptionValues {
  readonly config?: string | undefined;
  readonly 'state-dir'?: string | undefined;
  readonly set?: readonly string[] | undefined;
}

type Overrides = Partial<Record<ConfigKey, RawConfigValue>>;

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value === '') throw new UsageError(`${flag} needs a value`);
  return value;
}

/**
 * The variable that names the configuration file when --config is not given: a container sets it
 * once, and `winrmd serve`, its HEALTHCHECK's `winrmd health` and `winrmd user ...` run through
 * `exec` all read the same file.
 */
export const CONFIG_FILE_VARIABLE = 'WINRMD_CONFIG';

/** ConfigSources from already-parsed common option values, plus overrides from other flags. */
export function sourcesFromOptions(values: CommonOptionValues, overrides: Overrides = {}, env: NodeJS.ProcessEnv = process.env): ConfigSources {
  const fromEnvironment = env[CONFIG_FILE_VARIABLE];
  const file = nonEmpty('--config', values.config) ?? (fromEnvironment === '' ? undefined : fromEnvironment);
  const stateDir = nonEmpty('--state-dir', values['state-dir']);
  const allOverrides: Overrides = stateDir === undefined ? overrides : { ...overrides, 'Winrmd.StateDir': stateDir };
  return {
    ...(file === undefined ? {} : { file }),
    sets: values.set ?? [],
    overrides: allOverrides,
  };
}

export interface ParsedCommonOptions {
  readonly sources: ConfigSources;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

/** Parses a command line that has only the common options, --help, and positional arguments. */
export function parseCommonOptions(argv: readonly string[]): ParsedCommonOptions {
  const { values, positionals } = parseArgv({
    args: [...argv],
    options: { ...COMMON_OPTIONS, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  return { sources: sourcesFromOptions(values), positionals, help: values.help === true };
}

/** A flag's value checked like the setting it stands for, with the flag named in the message. */
function flagValue(flag: string, key: ConfigKey, raw: string): RawConfigValue {
  try {
    return parseConfigValue(key, raw);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}

/**
 * The serve command's options: the common ones plus --bind (Listener.Address), --http-port
 * (Service.DefaultPorts.HTTP), --https-port (Service.DefaultPorts.HTTPS) and --transcript
 * (Winrmd.TranscriptDir), which win over the file
 * and --set. Throws UsageError for unknown flags, stray arguments or a bad port.
 */
export function parseServeOptions(argv: readonly string[]): ConfigSources {
  const { values } = parseArgv({
    args: [...argv],
    options: {
      ...COMMON_OPTIONS,
      bind: { type: 'string' },
      'http-port': { type: 'string' },
      'https-port': { type: 'string' },
      transcript: { type: 'string' },
    },
    allowPositionals: false,
    strict: true,
  });
  const overrides: Overrides = {};
  const bind = nonEmpty('--bind', values.bind);
  if (bind !== undefined) overrides['Listener.Address'] = bind;
  const httpPort = values['http-port'];
  if (httpPort !== undefined) overrides['Service.DefaultPorts.HTTP'] = flagValue('--http-port', 'Service.DefaultPorts.HTTP', httpPort);
  const httpsPort = values['https-port'];
  if (httpsPort !== undefined) {
    overrides['Service.DefaultPorts.HTTPS'] = flagValue('--https-port', 'Service.DefaultPorts.HTTPS', httpsPort);
  }
  const transcript = nonEmpty('--transcript', values.transcript);
  if (transcript !== undefined) overrides['Winrmd.TranscriptDir'] = transcript;
  return sourcesFromOptions(values, overrides);
}
