/**
 * A throw-away OpenSSH server for the comparison: Debian's /usr/sbin/sshd run in the foreground on a
 * free loopback port with its own sshd_config, host key and authorized key in a temp directory, never
 * the system's configuration or service. As root it logs in a dedicated account (created here with
 * no usable password, removed at the end); as another user, sshd can only log in that user, so it
 * does. Stopped by PID; the account is removed even when the run failed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { waitForExit } from '../../test/support/child-exit.js';
import { canConnect } from '../../test/support/port-probe.js';
import { freePort } from './free-port.js';
import { processTree } from './process-tree.js';
import { runFile } from './run-file.js';

export const SSHD = '/usr/sbin/sshd';
/** One account per run (the PID keeps two runs at once, say the smoke test and a full run, apart). */
const BENCH_ACCOUNT = `winrmd-bench-${process.pid}`;
const START_TIMEOUT_MS = 10_000;

export interface ThrowAwaySshd {
  readonly port: number;
  /** The account sessions run as. */
  readonly user: string;
  /** The listening sshd; its descendants are the per-connection processes and sessions. */
  readonly pid: number;
  readonly dir: string;
  /** `ssh` options that reach this server with this key and nothing from ~/.ssh or /etc/ssh. */
  readonly clientArgs: readonly string[];
  /** `user@127.0.0.1`. */
  readonly destination: string;
  stop(): Promise<void>;
}

const isRoot = (): boolean => process.getuid?.() === 0;

async function accountExists(name: string): Promise<boolean> {
  try {
    await runFile('getent', ['passwd', name]);
    return true;
  } catch {
    return false;
  }
}

/** The account the sessions run as; `remove` undoes what was done here. */
async function sessionAccount(): Promise<{ user: string; remove: () => Promise<void> }> {
  if (!isRoot()) return { user: userInfo().username, remove: () => Promise.resolve() };
  if (!(await accountExists(BENCH_ACCOUNT))) {
    // '*' rather than useradd's locked '!': sshd without PAM refuses locked accounts even for keys.
    await runFile('useradd', ['--create-home', '--shell', '/bin/sh', '--password', '*', BENCH_ACCOUNT]);
  }
  return {
    user: BENCH_ACCOUNT,
    remove: async () => {
      await runFile('userdel', ['--remove', BENCH_ACCOUNT]).catch((error: unknown) => {
        console.error(`could not remove the account ${BENCH_ACCOUNT}:`, error);
      });
    },
  };
}

function sshdConfig(dir: string, port: number, user: string): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    // The temp directory is not the account's home: skip the ownership checks made for ~/.ssh.
    'StrictModes no',
    'UsePAM no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    `AllowUsers ${user}`,
    // Room for the 1,000-session row: sessions on one multiplexed connection, and unauthenticated
    // connections arriving at once (the defaults, 10 and 10:30:100, would refuse most of them).
    'MaxSessions 4000',
    'MaxStartups 4000',
    'PerSourceMaxStartups none',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    'LogLevel ERROR',
    '',
  ].join('\n');
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function waitUntilListening(child: ChildProcess, port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`sshd exited at start:\n${log()}`);
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not listen on ${port} within ${START_TIMEOUT_MS} ms:\n${log()}`);
}

export async function startSshd(): Promise<ThrowAwaySshd> {
  const dir = await mkdtemp(join(tmpdir(), 'winrmd-bench-sshd-'));
  const cleanups: (() => Promise<void>)[] = [() => rm(dir, { recursive: true, force: true })];
  const cleanUp = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    // The session account reads the authorized key itself.
    await chmod(dir, 0o755);
    await runFile('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'winrmd-bench-host', '-f', join(dir, 'host_key')]);
    await runFile('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'winrmd-bench-client', '-f', join(dir, 'client_key')]);
    await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'client_key.pub')), { mode: 0o644 });
    const account = await sessionAccount();
    cleanups.push(account.remove);
    const port = await freePort();
    const hostKey = (await readFile(join(dir, 'host_key.pub'), 'utf8')).trim().split(' ').slice(0, 2).join(' ');
    await writeFile(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n`);
    await writeFile(join(dir, 'sshd_config'), sshdConfig(dir, port, account.user));
    // sshd's privilege separation directory; Debian's init script makes it, and no init ran here.
    if (isRoot()) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });

    let log = '';
    // -D: stay in the foreground, so the child's PID is the listener's; -e: errors to stderr.
    const child = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (log.length < 64 * 1024) log += chunk;
    });
    cleanups.push(async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      // Sessions still open (a failed run) outlive the listener, and would keep userdel from working.
      const sessions = (await processTree(child.pid)).filter((stat) => stat.pid !== child.pid);
      child.kill('SIGTERM');
      for (const session of sessions) killQuietly(session.pid);
      if (!(await waitForExit(child, 5000))) child.kill('SIGKILL');
    });
    if (child.pid === undefined) throw new Error(`could not start ${SSHD}`);
    await waitUntilListening(child, port, () => log);

    const clientArgs = [
      '-F', 'none',
      '-i', join(dir, 'client_key'),
      '-o', 'IdentitiesOnly=yes',
      '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
      '-o', 'StrictHostKeyChecking=yes',
      '-o', 'BatchMode=yes',
      '-o', 'LogLevel=ERROR',
      '-p', String(port),
    ];
    return { port, user: account.user, pid: child.pid, dir, clientArgs, destination: `${account.user}@127.0.0.1`, stop: cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
