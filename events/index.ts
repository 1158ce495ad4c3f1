/**
 * Security events: Windows event identities for what winrmd does, written to the events file,
 * the log and optionally syslog. `createEventRecorder` builds the recorder `serve` uses.
 */
import type { Config } from '../config/keys.js';
import { nextRecordId } from './reader.js';
import { EventRecorder } from './recorder.js';
import { eventSettingsFrom } from './settings.js';
import type { EventSink } from './sinks/event-sink.js';
import { LogSink, type InfoLogger } from './sinks/log-sink.js';
import { RotatingFileSink } from './sinks/rotating-file.js';
import { SyslogSink } from './sinks/syslog-sink.js';

export { EventRecorder } from './recorder.js';
export { fanOut, NO_OBSERVER, type AuthMechanism, type AuthScheme, type LogonFailure, type Peer, type ServiceObserver, type ServiceSignal } from './signals.js';

export interface RecorderLogger extends InfoLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface RecorderIdentity {
  readonly computerName: string;
  /** The NetBIOS computer name: the domain Windows gives local accounts. */
  readonly accountDomain: string;
}

export function createEventRecorder(config: Config, stateDir: string, log: RecorderLogger, identity: RecorderIdentity): EventRecorder {
  const settings = eventSettingsFrom(config, stateDir);
  const sinks: EventSink[] = [new LogSink(log)];
  if (settings.file !== undefined) {
    const { path } = settings.file;
    sinks.push(
      new RotatingFileSink(settings.file, (error) => {
        log.warn({ event: 'events-file-error', path, err: error }, 'cannot write the events file');
      }),
    );
  }
  if (settings.syslog !== undefined) {
    const target = settings.syslog;
    sinks.push(
      new SyslogSink(target, (error) => {
        log.warn({ event: 'syslog-error', target, err: error }, 'cannot send events to syslog');
      }),
    );
  }
  return new EventRecorder({
    ...identity,
    sinks,
    redactor: settings.redactor,
    firstRecordId: settings.file === undefined ? 1 : nextRecordId(settings.file.path),
  });
}
