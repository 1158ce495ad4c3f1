/** `winrmd user add|list|remove`: manage the accounts in the state directory's users.json. */
import { loadConfig, type ConfigSources } from '../config/load.js';
import { ensureStateDir, resolveStateDir } from '../config/state-dir.js';
import { UserStore } from '../users/user-store.js';
import { validateOsUserName, validateUserName } from '../users/names.js';
import { osAccountOf } from '../users/user-record.js';
import { UserStoreError } from '../users/user-store-error.js';
import { prepareOsAccount } from './os-account-setup.js';
import { HELP_TEXT } from './help.js';
import type { CliIo } from './io.js';
import { COMMON_OPTIONS, parseCommonOptions, sourcesFromOptions } from './common-options.js';
import { readFirstLine } from './read-password.js';
import { parseArgv, UsageError } from './usage-error.js';

async function openStore(sources: ConfigSources): Promise<UserStore> {
  return UserStore.open(resolveStateDir(await loadConfig(sources)));
}

function onePositional(positionals: readonly string[], usage: string): string {
  const [name, ...extra] = positionals;
  if (name === undefined) throw new UsageError(`missing user name; usage: ${usage}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra.join(' ')}'; usage: ${usage}`);
  return name;
}

async function add(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgv({
    args: [...argv],
    options: {
      ...COMMON_OPTIONS,
      group: { type: 'string', multiple: true },
      'os-user': { type: 'string' },
      'create-os-user': { type: 'boolean' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP_TEXT);
    return 0;
  }
  const name = onePositional(positionals, 'winrmd user add NAME --password-stdin [--group GROUP]... [--os-user ACCOUNT] [--create-os-user]');
  // Passwords on the command line end up in shell history and in `ps` output for every local user.
  if (values['password-stdin'] !== true) {
    throw new UsageError('pass --password-stdin and give the password on standard input (never on the command line)');
  }
  // Check everything cheap before waiting for a password that would then be thrown away.
  validateUserName(name);
  const osUser = values['os-user'];
  // The account the user maps to must be nameable on Linux even when it is the user's own name.
  validateOsUserName(osUser ?? name);
  const groups = values.group ?? [];
  const store = await openStore(sourcesFromOptions(values));
  const password = await readFirstLine(io.stdin);
  if (password === '') throw new UsageError('the password on standard input is empty');
  const existing = await store.find(name);
  if (existing !== undefined) throw new UserStoreError('exists', `user '${existing.name}' already exists`);
  await prepareOsAccount(osAccountOf({ name, osUser }), name, values['create-os-user'] === true, io);
  await ensureStateDir(store.stateDir);
  await store.add(name, password, groups, osUser);
  io.stdout.write(`added user ${name} to ${store.path}\n`);
  if (groups.length === 0) {
    // No group is a legitimate choice, but almost always an oversight: say how to fix it.
    io.stderr.write(`winrmd: note: ${name} is in no group; to let them connect, add them with --group Administrators\n`);
  }
  return 0;
}

async function list(argv: readonly string[], io: CliIo): Promise<number> {
  const { sources, positionals, help } = parseCommonOptions(argv);
  if (help) {
    io.stdout.write(HELP_TEXT);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals.join(' ')}'; usage: winrmd user list`);
  const store = await openStore(sources);
  for (const user of await store.list()) io.stdout.write(`${user.name}\t${user.groups.join(',')}\t${osAccountOf(user)}\n`);
  return 0;
}

async function remove(argv: readonly string[], io: CliIo): Promise<number> {
  const { sources, positionals, help } = parseCommonOptions(argv);
  if (help) {
    io.stdout.write(HELP_TEXT);
    return 0;
  }
  const name = onePositional(positionals, 'winrmd user remove NAME');
  const store = await openStore(sources);
  if (!(await store.remove(name))) {
    io.stderr.write(`winrmd: no user named ${name} in ${store.path}\n`);
    return 1;
  }
  io.stdout.write(`removed user ${name}\n`);
  return 0;
}

export async function runUserCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = argv;
  switch (subcommand) {
    case 'add':
      return add(rest, io);
    case 'list':
      return list(rest, io);
    case 'remove':
      return remove(rest, io);
    case '--help':
    case '-h':
      io.stdout.write(HELP_TEXT);
      return 0;
    case undefined:
      throw new UsageError("missing subcommand: winrmd user add|list|remove (see 'winrmd --help')");
    default:
      throw new UsageError(`unknown subcommand 'user ${subcommand}': use add, list or remove`);
  }
}
