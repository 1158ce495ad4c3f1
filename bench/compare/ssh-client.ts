/**
 * The ssh side of each comparison, run from the orchestrator: Debian's `ssh` client against the
 * throw-away sshd, over one ControlMaster connection (`ssh -S`) or a new connection per command.
 * Every figure includes starting the ssh client process, as it does for anyone who types `ssh`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { waitForExit } from '../../test/support/child-exit.js';
import { runFile } from './run-file.js';
import type { ThrowAwaySshd } from './sshd.js';
import { elapsedMs } from './stats.js';

const COMMAND_TIMEOUT_MS = 120_000;

export interface SshClient {
  /** The ControlMaster's pid: multiplexed sessions' data passes through it. */
  readonly masterPid: number;
  /** Runs `command` and resolves with its wall time in ms; rejects unless it exits 0. */
  timeCommand(command: string, mode: 'multiplexed' | 'new-connection'): Promise<number>;
  /** Streams `bytes` of stdout from the server; resolves with the wall time in ms. */
  timeStdout(bytes: number): Promise<number>;
  /** Streams `bytes` of stdin into `cat > /dev/null`; resolves with the wall time in ms. */
  timeStdin(bytes: number): Promise<number>;
  /** Starts a session running `command`; resolves once it printed its first byte. */
  startSession(command: string, mode: 'multiplexed' | 'new-connection'): Promise<ChildProcess>;
  close(): Promise<void>;
}

function exited(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what}: no exit within ${COMMAND_TIMEOUT_MS} ms`));
    }, COMMAND_TIMEOUT_MS);
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${what}: exit ${String(code)} ${String(signal)}: ${stderr.trim()}`));
    });
  });
}

export async function connectSsh(sshd: ThrowAwaySshd): Promise<SshClient> {
  const controlPath = `${sshd.dir}/mux`;
  const base = [...sshd.clientArgs];
  const multiplexed = [...base, '-S', controlPath, '-o', 'ControlMaster=no', sshd.destination];
  const separate = [...base, '-o', 'ControlMaster=no', '-o', 'ControlPath=none', sshd.destination];
  const argsFor = (mode: 'multiplexed' | 'new-connection'): string[] => (mode === 'multiplexed' ? multiplexed : separate);

  // -N: no command, the master only holds the connection; kept in the foreground so it is stopped by PID.
  const master = spawn('ssh', [...base, '-o', 'ControlMaster=yes', '-o', `ControlPath=${controlPath}`, '-o', 'ControlPersist=no', '-N', sshd.destination], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let masterLog = '';
  master.stderr.setEncoding('utf8');
  master.stderr.on('data', (chunk: string) => (masterLog += chunk));
  const stopMaster = async (): Promise<void> => {
    if (master.exitCode !== null || master.signalCode !== null) return;
    master.kill('SIGTERM');
    if (!(await waitForExit(master, 5000))) master.kill('SIGKILL');
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await runFile('ssh', [...base, '-S', controlPath, '-O', 'check', sshd.destination]);
      break;
    } catch (error) {
      if (master.exitCode !== null || Date.now() > deadline) {
        await stopMaster();
        throw new Error(`the ssh ControlMaster did not come up: ${masterLog}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  if (master.pid === undefined) throw new Error('the ssh ControlMaster has no pid');
  return {
    masterPid: master.pid,
    async timeCommand(command, mode) {
      const start = process.hrtime.bigint();
      await exited(spawn('ssh', [...argsFor(mode), command], { stdio: ['ignore', 'ignore', 'pipe'] }), `ssh ${command}`);
      return elapsedMs(start);
    },

    async timeStdout(bytes) {
      const start = process.hrtime.bigint();
      const child = spawn('ssh', [...multiplexed, `head -c ${bytes} /dev/zero`], { stdio: ['ignore', 'pipe', 'pipe'] });
      let received = 0;
      child.stdout.on('data', (chunk: Buffer) => (received += chunk.length));
      await exited(child, 'ssh head');
      const ms = elapsedMs(start);
      if (received !== bytes) throw new Error(`ssh stdout: expected ${bytes} bytes, got ${received}`);
      return ms;
    },

    async timeStdin(bytes) {
      const start = process.hrtime.bigint();
      const child = spawn('ssh', [...multiplexed, 'cat > /dev/null'], { stdio: ['pipe', 'ignore', 'pipe'] });
      const done = exited(child, 'ssh cat');
      const stdin = child.stdin;
      const chunk = Buffer.alloc(1024 * 1024);
      for (let sent = 0; sent < bytes; sent += chunk.length) {
        const piece = bytes - sent < chunk.length ? chunk.subarray(0, bytes - sent) : chunk;
        if (!stdin.write(piece)) await new Promise((resolve) => stdin.once('drain', resolve));
      }
      stdin.end();
      await done;
      return elapsedMs(start);
    },

    startSession(command, mode) {
      return new Promise((resolve, reject) => {
        const child = spawn('ssh', [...argsFor(mode), command], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (chunk: string) => (stderr += chunk));
        child.stdout.once('data', () => {
          resolve(child);
        });
        child.on('error', reject);
        child.on('exit', (code) => {
          reject(new Error(`ssh session ended before it was up (exit ${String(code)}): ${stderr.trim()}`));
        });
      });
    },

    close: stopMaster,
  };
}
