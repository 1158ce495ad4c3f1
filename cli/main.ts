/** The `winrmd` command line: dispatches to a command and turns failures into an exit status. */
import { ConfigError } from '../config/config-error.js';
import { UserStoreError } from '../users/user-store-error.js';
import { runConfigCommand } from './config-command.js';
import { runEventsCommand } from './events-command.js';
import { runFirewallCommand } from './firewall-command.js';
import { runHealthCommand } from './health-command.js';
import { HELP_TEXT } from './help.js';
import { withProcessDefaults, type CliIo, type OutputStream } from './io.js';
import { UsageError } from './usage-error.js';
import { runTranscriptCommand } from './transcript-command.js';
import { runUserCommand } from './user-command.js';
import { readVersion } from './version.js';

export type { CliIo, OutputStream } from './io.js';

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout.write(HELP_TEXT);
        return EXIT_OK;
      }
      // Loaded only when needed: serve pulls in the whole server, the other commands need none of it.
      const { runServe } = await import('./serve-command.js');
      return await runServe(rest);
    }
    case 'user':
      return runUserCommand(rest, io);
    case 'config':
      return runConfigCommand(rest, io);
    case 'firewall':
      return runFirewallCommand(rest, io);
    case 'events':
      return runEventsCommand(rest, io);
    case 'health':
      return runHealthCommand(rest, io);
    case 'transcript':
      return runTranscriptCommand(rest, io);
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(HELP_TEXT);
      return EXIT_OK;
    case '--version':
      io.stdout.write(`winrmd ${await readVersion()}\n`);
      return EXIT_OK;
    case undefined:
      io.stderr.write(HELP_TEXT);
      return EXIT_USAGE;
    default:
      throw new UsageError(
        command.startsWith('-') ? `unknown option '${command}' (see 'winrmd --help')` : `unknown command '${command}' (see 'winrmd --help')`,
      );
  }
}

function exitStatusFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigError) return EXIT_USAGE;
  if (error instanceof UserStoreError && (error.code === 'invalid-name' || error.code === 'invalid-group' || error.code === 'invalid-os-user')) return EXIT_USAGE;
  return EXIT_FAILURE;
}

function report(error: unknown, stderr: OutputStream): number {
  // One line, no stack: the people reading this run a service, not debug winrmd.
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`winrmd: ${message}\n`);
  return exitStatusFor(error);
}

/**
 * Runs `winrmd` with `argv` (without node and the script) and returns the exit status: 0 on success,
 * 1 when the command failed, 2 for a usage or configuration mistake. Never throws.
 */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const streams = withProcessDefaults(io);
  try {
    return await dispatch(argv, streams);
  } catch (error) {
    return report(error, streams.stderr);
  }
}
