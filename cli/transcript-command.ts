/** `winrmd transcript show FILE`: a transcript file written by `serve --transcript`, readably. */
import { readFile } from 'node:fs/promises';
import { HELP_TEXT } from './help.js';
import type { CliIo } from './io.js';
import { formatTranscript } from './transcript-format.js';
import { parseArgv, UsageError } from './usage-error.js';

export async function runTranscriptCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgv({
    args: [...argv],
    options: { help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP_TEXT);
    return 0;
  }
  const [sub, file, ...extra] = positionals;
  if (sub !== 'show') throw new UsageError(`usage: winrmd transcript show FILE`);
  if (file === undefined || extra.length > 0) throw new UsageError('usage: winrmd transcript show FILE');
  io.stdout.write(formatTranscript(await readFile(file, 'utf8')));
  return 0;
}
