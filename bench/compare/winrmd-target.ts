/**
 * winrmd as the comparison runs it: the built server (`bin/winrmd serve`, test/support's
 * startServer) on loopback with its default settings and logging, ten Administrators for the
 * shells row, and, when MIT Kerberos is installed, the throw-away realm's keytab and its user. When
 * the sshd side logs in a dedicated account, winrmd's users run their shells as that same account,
 * so both servers start the same kind of process.
 */
import { startServer, type RunningServer, type TestUser } from '../../test/support/server-process.js';
import { CONFIG_KEYS } from '../../config/keys.js';
import type { KerberosRealm } from './kerberos-realm.js';

export const BENCH_PASSWORD = 'Bench-Passw0rd!';
export const KERBEROS_USER = 'benchkrb';
const DEFAULT_MAX_SHELLS_PER_USER = CONFIG_KEYS['Winrs.MaxShellsPerUser'].default;

export interface WinrmdTarget {
  readonly server: RunningServer;
  /** The users the shells row spreads its shells over; the first serves every other row. */
  readonly users: readonly { user: string; password: string }[];
  /** Whether the shells run as a per-user account, which reads the login profile unless told not to. */
  readonly shellsReadProfile: boolean;
}

export function benchUserNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `bench${String(i).padStart(2, '0')}`);
}

/**
 * `shellsPerUser`: the shells row opens this many per user, beyond Windows' default
 * Winrs.MaxShellsPerUser when it spreads 1,000 shells over 10 users, so the quota is raised
 * to fit; every other setting is the default.
 */
export async function startWinrmd(
  userCount: number,
  shellsPerUser: number,
  osUser: string | undefined,
  realm: KerberosRealm | undefined,
  profileDir?: string,
): Promise<WinrmdTarget> {
  const account = osUser === undefined ? {} : { osUser };
  const users: TestUser[] = benchUserNames(userCount).map((name) => ({ name, password: BENCH_PASSWORD, groups: ['Administrators'], ...account }));
  // The realm's principal maps to the local user of the same name; its local password is never used.
  if (realm !== undefined) users.push({ name: KERBEROS_USER, password: BENCH_PASSWORD, groups: ['Administrators'], ...account });
  const server = await startServer({
    users,
    runAsServiceAccount: osUser === undefined,
    sets: [
      ...(shellsPerUser > DEFAULT_MAX_SHELLS_PER_USER ? [`Winrs.MaxShellsPerUser=${shellsPerUser}`] : []),
      ...(realm === undefined ? [] : [`Service.Auth.Keytab=${realm.kdc.keytab}`]),
    ],
    ...(profileDir === undefined ? {} : { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] }),
    // Enough for a failure's message; all of a run's lines would be the harness's memory to collect.
    keepLines: 2000,
  });
  return { server, users: users.filter((u) => u.name !== KERBEROS_USER).map((u) => ({ user: u.name, password: u.password })), shellsReadProfile: osUser !== undefined };
}
