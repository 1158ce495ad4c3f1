/**
 * Events into the pino log stream, one line each, so that whoever collects winrmd's stdout gets
 * them without reading the events file. The record is already redacted.
 */
import type { EventRecord } from '../record.js';
import type { EventSink } from './event-sink.js';

/** The part of pino's logger this needs. */
export interface InfoLogger {
  info(fields: Record<string, unknown>, message: string): void;
}

export class LogSink implements EventSink {
  constructor(private readonly log: InfoLogger) {}

  write(record: EventRecord): void {
    this.log.info({ event: 'windows-event', ...record }, record.Message);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
