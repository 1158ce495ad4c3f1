/**
 * The Winrmd.Events.* settings, checked at start so that a mistake stops `serve` with a message
 * naming the setting (exit status 2, like any configuration error).
 */
import { isAbsolute, join } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import type { Config } from '../config/keys.js';
import { CommandLineRedactor, RedactPatternError } from './redact.js';
import { parseSyslogTarget, type SyslogTarget } from './sinks/syslog-sink.js';

export interface EventSettings {
  /** Undefined when Winrmd.Events.File is empty: no file. */
  readonly file: { readonly path: string; readonly maxBytes: number; readonly maxFiles: number } | undefined;
  readonly syslog: SyslogTarget | undefined;
  readonly redactor: CommandLineRedactor;
}

/** Where the events file is: the setting, relative to the state directory unless absolute. */
export function eventsFilePath(config: Config, stateDir: string): string | undefined {
  const file = config['Winrmd.Events.File'].trim();
  if (file === '') return undefined;
  return isAbsolute(file) ? file : join(stateDir, file);
}

function redactPatterns(config: Config): string[] {
  const raw = config['Winrmd.Events.RedactPatterns'];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((item) => {
    if (typeof item !== 'string') throw new ConfigError('Winrmd.Events.RedactPatterns must be a list of regular expressions (strings)');
    return item;
  });
}

export function eventSettingsFrom(config: Config, stateDir: string): EventSettings {
  const path = eventsFilePath(config, stateDir);
  const maxFiles = config['Winrmd.Events.MaxFiles'];
  const maxKb = config['Winrmd.Events.MaxFileSizekb'];
  if (path !== undefined && (maxFiles < 1 || maxKb < 1)) throw new ConfigError('Winrmd.Events.MaxFiles and Winrmd.Events.MaxFileSizekb must be at least 1');
  const syslogText = config['Winrmd.Events.Syslog'].trim();
  let syslog: SyslogTarget | undefined;
  try {
    syslog = syslogText === '' ? undefined : parseSyslogTarget(syslogText);
  } catch (error) {
    throw new ConfigError(`Winrmd.Events.Syslog: ${error instanceof Error ? error.message : String(error)}`);
  }
  let redactor: CommandLineRedactor;
  try {
    redactor = new CommandLineRedactor(redactPatterns(config));
  } catch (error) {
    if (error instanceof RedactPatternError) throw new ConfigError(`Winrmd.Events.RedactPatterns: ${error.message}`);
    throw error;
  }
  return { file: path === undefined ? undefined : { path, maxBytes: maxKb * 1024, maxFiles }, syslog, redactor };
}
