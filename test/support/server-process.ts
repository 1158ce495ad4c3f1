/**
 * Starts the built server (`node bin/winrmd serve`) as a child process on ephemeral ports with a
 * throw-away state directory, for integration and interop tests. Requires `npm run build` (dist/).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForExit } from './child-exit.js';

/**
 * The checkout: the nearest directory above this file with a package.json. Not a fixed `../../`,
 * because the OpenSSH comparison benchmark runs this file compiled, from dist-bench/test/support/.
 */
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
/** WINRMD_TEST_BIN runs another executable script instead, e.g. to try the tests against a stub. */
const WINRMD = process.env['WINRMD_TEST_BIN'] ?? join(REPO_ROOT, 'bin', 'winrmd');

/**
 * The options the script's first line gives node (`#!/usr/bin/env -S node OPTIONS`). The server is
 * started with process.execPath, which skips that line; passing them keeps it running as users run
 * it.
 */
export function shebangNodeOptions(script: string): string[] {
  const first = readFileSync(script, 'utf8').split('\n', 1)[0] ?? '';
  const match = /^#!\S*env -S node(\s.*)?$/.exec(first);
  return match?.[1]?.trim().split(/\s+/).filter((option) => option !== '') ?? [];
}

const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;

export interface TestUser {
  name: string;
  password: string;
  groups: string[];
  /** `--os-user`: the Linux account the user's shells run as. */
  osUser?: string;
  /** `--create-os-user`: create that account with useradd (the test must remove it). */
  createOsUser?: boolean;
}

export interface StartOptions {
  /** `Key=Value` settings, each passed as `--set Key=Value`. */
  sets?: string[];
  users?: TestUser[];
  env?: Record<string, string>;
  /**
   * Run every user's shells as the server's own account, as before per-user accounts existed
   * (`Winrmd.RunAsServiceAccount=true`). The default here, not in winrmd: most tests' users (alice,
   * bob) have no Linux account. Tests of the accounts themselves pass false.
   */
  runAsServiceAccount?: boolean;
  /** Options for node itself when it runs `winrmd serve`, e.g. ['--cpu-prof'] (NODE_OPTIONS refuses that one). */
  nodeArgs?: string[];
  /** Run the server itself as this uid and gid (the test must be root); the state directory is given to it. */
  serverAccount?: { uid: number; gid: number };
  /**
   * Keep only this many of the latest lines (the benchmark: a long run's log would otherwise grow
   * the harness's memory, and its garbage collection would be measured beside the server). Line
   * indices then shift as old lines go: not for tests that read `logs().slice(since)`.
   */
  keepLines?: number;
}

export interface RunningServer {
  /** The winrmd process (for /proc: its descriptors, memory, CPU and descendants). */
  pid: number;
  httpPort: number;
  httpsPort: number;
  stateDir: string;
  /** Everything the server wrote so far, stdout and stderr, one entry per line. */
  logs: () => string[];
  stop(): Promise<void>;
}

interface CliResult {
  code: number | null;
  output: string;
}

function runCli(args: string[], stdin: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...shebangNodeOptions(WINRMD), WINRMD, ...args], { cwd: REPO_ROOT, env, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, output });
    });
    child.stdin.end(stdin);
  });
}

async function addUser(user: TestUser, stateDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const groupArgs = user.groups.flatMap((group) => ['--group', group]);
  const accountArgs = [...(user.osUser === undefined ? [] : ['--os-user', user.osUser]), ...(user.createOsUser === true ? ['--create-os-user'] : [])];
  const args = ['user', 'add', user.name, ...groupArgs, ...accountArgs, '--password-stdin', '--state-dir', stateDir];
  const result = await runCli(args, `${user.password}\n`, env);
  if (result.code !== 0) {
    throw new Error(`winrmd ${args.join(' ')} exited with ${String(result.code)}:\n${result.output}`);
  }
}

/** Gives a directory and what is in it (users.json, written by root) to the server's account. */
async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(path, uid, gid);
    else await chown(path, uid, gid);
  }
}

interface ListeningLine {
  transport: string;
  port: number;
}

/** Recognises pino's `{"msg":"listening","transport":"http","port":5985}` lines. */
export function parseListeningLine(line: string): ListeningLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const transport = record['transport'];
  const port = record['port'];
  if (record['msg'] !== 'listening' || typeof transport !== 'string' || typeof port !== 'number') return undefined;
  return { transport, port };
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const stateDir = await mkdtemp(join(tmpdir(), 'winrmd-test-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WINRMD_ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
    ...opts.env,
  };
  try {
    for (const user of opts.users ?? []) await addUser(user, stateDir, env);
  } catch (err) {
    await rm(stateDir, { recursive: true, force: true });
    throw err;
  }

  // First, so that a test's own --set can still turn it off.
  const serviceAccount = (opts.runAsServiceAccount ?? true) ? ['Winrmd.RunAsServiceAccount=true'] : [];
  const sets = [...serviceAccount, ...(opts.sets ?? [])].flatMap((kv) => ['--set', kv]);
  const args = ['serve', '--state-dir', stateDir, '--bind', '127.0.0.1', '--http-port', '0', '--https-port', '0', ...sets];
  const account = opts.serverAccount;
  if (account !== undefined) await chownTree(stateDir, account.uid, account.gid);
  const child = spawn(process.execPath, [...shebangNodeOptions(WINRMD), ...(opts.nodeArgs ?? []), WINRMD, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], ...(account ?? {}) });

  const lines: string[] = [];
  const keepLines = opts.keepLines ?? Infinity;
  const ports = new Map<string, number>();
  let onLine: (line: string) => void = () => undefined;
  const splitLines = (stream: NodeJS.ReadableStream, label: string): void => {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) {
        lines.push(label === 'stdout' ? part : `[stderr] ${part}`);
        if (label === 'stdout') onLine(part);
      }
      if (lines.length > keepLines) lines.splice(0, lines.length - keepLines);
    });
    stream.on('end', () => {
      if (pending !== '') lines.push(label === 'stdout' ? pending : `[stderr] ${pending}`);
    });
  };
  splitLines(child.stdout, 'stdout');
  splitLines(child.stderr, 'stderr');

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_GRACE_MS))) {
        child.kill('SIGKILL');
        await waitForExit(child, STOP_GRACE_MS);
      }
    }
    await rm(stateDir, { recursive: true, force: true });
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        reject(new Error(`winrmd serve ${why}\n--- output ---\n${lines.join('\n')}`));
      };
      const timer = setTimeout(() => {
        fail(`did not report two listeners within ${START_TIMEOUT_MS} ms`);
      }, START_TIMEOUT_MS);
      onLine = (line) => {
        const listening = parseListeningLine(line);
        if (listening === undefined) return;
        ports.set(listening.transport.toLowerCase(), listening.port);
        if (ports.has('http') && ports.has('https')) {
          clearTimeout(timer);
          // Every later line is only kept: parsing each as JSON was work beside the server's.
          onLine = () => undefined;
          resolve();
        }
      };
      child.on('error', (err) => {
        fail(`could not be spawned: ${err.message}`);
      });
      child.on('exit', (code, signal) => {
        // Give the stream handlers a moment to capture the last lines.
        setTimeout(() => {
          fail(`exited early (code ${String(code)}, signal ${String(signal)})`);
        }, 100);
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }

  const httpPort = ports.get('http');
  const httpsPort = ports.get('https');
  if (httpPort === undefined || httpsPort === undefined) throw new Error('unreachable: ports missing');
  const pid = child.pid;
  if (pid === undefined) throw new Error('unreachable: a started server without a PID');
  return { pid, httpPort, httpsPort, stateDir, logs: () => [...lines], stop };
}
