/** `winrmd config show`: the effective configuration, for comparing with a Windows host. */
import { formatConfig } from '../config/format.js';
import { loadConfig } from '../config/load.js';
import { HELP_TEXT } from './help.js';
import type { CliIo } from './io.js';
import { parseCommonOptions } from './common-options.js';
import { UsageError } from './usage-error.js';

async function show(argv: readonly string[], io: CliIo): Promise<number> {
  const { sources, positionals, help } = parseCommonOptions(argv);
  if (help) {
    io.stdout.write(HELP_TEXT);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals.join(' ')}'; usage: winrmd config show`);
  io.stdout.write(`${formatConfig(await loadConfig(sources))}\n`);
  return 0;
}

export async function runConfigCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = argv;
  switch (subcommand) {
    case 'show':
      return show(rest, io);
    case '--help':
    case '-h':
      io.stdout.write(HELP_TEXT);
      return 0;
    case undefined:
      throw new UsageError("missing subcommand: winrmd config show (see 'winrmd --help')");
    default:
      throw new UsageError(`unknown subcommand 'config ${subcommand}': use show`);
  }
}
