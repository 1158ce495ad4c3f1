/**
 * `winrmd events [--follow] [--id N]... [--since TIME] [--xml]`: the security events `serve` wrote
 * to the events file (Winrmd.Events.File in the state directory), oldest first, as stored (JSON
 * lines) or as Windows event XML. --follow keeps printing new events until interrupted.
 */
import { loadConfig, resolveStateDir } from '../config/index.js';
import { followLines } from '../events/follow.js';
import { matches, readEvents, type EventFilter } from '../events/reader.js';
import { parseEventRecord, type EventRecord } from '../events/record.js';
import { eventsFilePath } from '../events/settings.js';
import { eventXml, eventsDocument } from '../events/xml-export.js';
import { COMMON_OPTIONS, sourcesFromOptions } from './common-options.js';
import { HELP_TEXT } from './help.js';
import type { CliIo } from './io.js';
import { parseArgv, UsageError } from './usage-error.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO 8601 time, or an age like 30s, 10m, 2h, 7d (that long before `now`). */
export function parseSince(text: string, now: Date = new Date()): Date {
  const age = /^(\d+)([smhd])$/.exec(text.trim());
  if (age !== null) return new Date(now.getTime() - Number(age[1]) * (UNIT_MS[age[2] ?? 's'] ?? 1000));
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`--since must be a time (2024-05-01T12:00:00Z) or an age (30s, 10m, 2h, 7d), not '${text}'`);
  return new Date(ms);
}

function parseIds(values: readonly string[]): Set<number> {
  const ids = new Set<number>();
  for (const item of values.flatMap((v) => v.split(','))) {
    if (!/^\d{1,10}$/.test(item.trim())) throw new UsageError(`--id must be an event ID like 4624, not '${item}'`);
    ids.add(Number(item.trim()));
  }
  return ids;
}

/** Until SIGINT or SIGTERM, for --follow from the real command line. */
function untilInterrupted(): AbortSignal {
  const controller = new AbortController();
  const stop = (): void => {
    controller.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}

export async function runEventsCommand(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgv({
    args: [...argv],
    options: {
      ...COMMON_OPTIONS,
      follow: { type: 'boolean', short: 'f' },
      id: { type: 'string', multiple: true },
      since: { type: 'string' },
      xml: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP_TEXT);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals.join(' ')}'; usage: winrmd events [--follow] [--id N]... [--since TIME] [--xml]`);
  const filter: EventFilter = { ids: parseIds(values.id ?? []), since: values.since === undefined ? undefined : parseSince(values.since) };
  const config = await loadConfig(sourcesFromOptions(values));
  const path = eventsFilePath(config, resolveStateDir(config));
  if (path === undefined) throw new Error('the events file is turned off (Winrmd.Events.File is empty)');
  const maxFiles = config['Winrmd.Events.MaxFiles'];
  const xml = values.xml === true;

  if (values.follow !== true) {
    const records = readEvents(path, maxFiles).filter((r) => matches(r, filter));
    io.stdout.write(xml ? eventsDocument(records) : records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return 0;
  }
  // The rotated files first, then the current one from its start and on as it grows.
  const print = (record: EventRecord): void => {
    if (matches(record, filter)) io.stdout.write(xml ? `${eventXml(record)}\n` : `${JSON.stringify(record)}\n`);
  };
  for (const record of readEvents(path, maxFiles, 1)) print(record);
  await followLines(path, maxFiles, (line) => {
    const record = parseEventRecord(line);
    if (record !== undefined) print(record);
  }, signal ?? untilInterrupted());
  return 0;
}
