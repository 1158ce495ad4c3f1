import { randomBytes } from 'node:crypto';
import { ensureStateDir, loadConfig, resolveStateDir } from '../config/index.js';
import { createLogger, type Logger } from '../server/logger.js';
import { isValidOsAccountName } from '../accounts/index.js';
import { currentProcessFacts } from '../server/account-mode.js';
import { startEndpoint } from '../server/start-endpoint.js';
import { ADMINISTRATORS, UserStore } from '../users/index.js';
import { configuredAdminPassword, type ConfiguredPassword } from './admin-password.js';
import { parseServeOptions } from './common-options.js';
import { applyUsersFile } from './users-file-apply.js';
import { loadUsersFile, USERS_FILE_VARIABLE, type DeclaredUser } from './users-file.js';

const BOOTSTRAP_USER = 'Administrator';

/** `winrmd serve`: runs the endpoint until SIGINT or SIGTERM; resolves to the exit status. */
export async function runServe(argv: readonly string[]): Promise<number> {
  const config = await loadConfig(parseServeOptions(argv));
  const log = createLogger(config['Winrmd.LogLevel']);
  const stateDir = resolveStateDir(config);
  await ensureStateDir(stateDir);
  const users = UserStore.open(stateDir);
  // Both read before anything is written, so a bad secret or users file changes nothing.
  const adminPassword = await configuredAdminPassword();
  const declared = await declaredUsers();
  await bootstrapAdministrator(users, adminPassword, log);
  if (declared !== undefined) {
    const outcome = await applyUsersFile(users, declared.users, { stdin: process.stdin, stdout: process.stderr, stderr: process.stderr });
    log.info({ event: 'users-file', path: declared.path, ...outcome }, 'applied the users file');
  }

  const endpoint = await startEndpoint(config, stateDir, users, log);
  log.info({ event: 'started', stateDir, ports: endpoint.ports }, 'winrmd started');
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info({ event: 'stopping', signal }, 'winrmd stopping');
  await endpoint.close();
  log.info({ event: 'stopped' }, 'winrmd stopped: every shell, command and shell host has ended');
  // The logger writes asynchronously (server/logger.ts): what is still buffered goes out now.
  await new Promise<void>((resolve) => {
    log.flush(() => {
      resolve();
    });
  });
  return 0;
}

/**
 * A fresh endpoint needs someone who can log in: like a new Windows machine, it gets a local
 * Administrator. The password is WINRMD_ADMIN_PASSWORD (or the file WINRMD_ADMIN_PASSWORD_FILE
 * names), or a generated one shown once on the terminal (stderr), never in the log. Its shells
 * run as winrmd's own account (root when winrmd is root, as Windows' Administrator is the
 * machine's superuser), since Linux has no account named Administrator.
 */
async function bootstrapAdministrator(users: UserStore, configured: ConfiguredPassword | undefined, log: Logger): Promise<void> {
  if (!(await users.isEmpty())) return;
  const password = configured?.password ?? generatePassword();
  const own = currentProcessFacts().userName;
  const osUser = isValidOsAccountName(own) ? own : undefined;
  await users.add(BOOTSTRAP_USER, password, [ADMINISTRATORS], osUser);
  log.info(
    { event: 'bootstrap-user', user: BOOTSTRAP_USER, osUser, passwordFrom: configured?.source ?? 'generated' },
    'created the first user',
  );
  if (configured === undefined) {
    process.stderr.write(
      `\nwinrmd: created user ${BOOTSTRAP_USER} (group ${ADMINISTRATORS}, Linux account ${osUser ?? BOOTSTRAP_USER}) with password:\n\n    ${password}\n\n` +
        'It is shown this once; change users with `winrmd user add|remove`.\n\n',
    );
  }
}

/**
 * WINRMD_USERS_FILE, when set: the users it declares, added or brought up to date at every start
 * (see users-file.ts). Notes about their accounts go to stderr, since stdout carries the JSON log.
 */
async function declaredUsers(): Promise<{ readonly path: string; readonly users: DeclaredUser[] } | undefined> {
  const path = process.env[USERS_FILE_VARIABLE];
  if (path === undefined || path === '') return undefined;
  return { path, users: await loadUsersFile(path) };
}

function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
