/** An EventRecorder writing into an array, with a fixed clock and logon-id start, for the unit tests. */
import { EventRecorder } from '../../../events/recorder.js';
import { LogonSessions } from '../../../events/logon-sessions.js';
import type { EventRecord } from '../../../events/record.js';
import { CommandLineRedactor } from '../../../events/redact.js';
import type { Peer } from '../../../events/signals.js';

export interface RecorderHarness {
  readonly recorder: EventRecorder;
  readonly records: EventRecord[];
  readonly ids: () => number[];
}

export function recorderHarness(): RecorderHarness {
  const records: EventRecord[] = [];
  const recorder = new EventRecorder({
    computerName: 'lab.example.test',
    accountDomain: 'LAB',
    sinks: [{ write: (record) => void records.push(record), close: () => Promise.resolve() }],
    redactor: new CommandLineRedactor(),
    now: () => new Date('2024-05-01T12:00:00.123Z'),
    sessions: new LogonSessions(0x1000),
  });
  return { recorder, records, ids: () => records.map((r) => r.EventID) };
}

export function peer(connectionId: string | undefined, remotePort = 50000): Peer {
  return { connectionId, remoteAddress: '192.0.2.7', remotePort };
}
