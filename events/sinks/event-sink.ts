import type { EventRecord } from '../record.js';

/**
 * Where recorded events go: the JSON-lines file, the pino log, syslog. `write` never throws and
 * never waits: a sink that cannot deliver drops or buffers, so that recording an event can never
 * slow down or fail the request that caused it.
 */
export interface EventSink {
  write(record: EventRecord): void;
  close(): Promise<void>;
}
