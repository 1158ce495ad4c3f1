/**
 * Starting a shell host: node running host/main.js, as the user's Linux account through setpriv
 * (shell/run-as.ts: uid, gid, groups, no capabilities, no_new_privs), or as winrmd's own account
 * when there is no account to change to. Either way it is a process of its own, so that a crash,
 * a memory blow-up or a hang in one user's host touches no other user and not the listener.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runAsPrefix } from '../shell/run-as.js';
import type { RunAsAccount } from '../shell/types.js';
import { HostDiedError } from './errors.js';
import { HostClient } from './host-client.js';
import { HostServer } from './host-server.js';
import { isReady, isReply, type FromHost, type ToHost } from './protocol.js';

/** A started host: its client, and how to learn of and cause its end. */
export interface LaunchedHost {
  readonly pid: number | undefined;
  readonly client: HostClient;
  /** Resolves with a description once the host has exited (or, in process, been stopped). */
  readonly exited: Promise<string>;
  /** Asks the host to end its processes and exit; kills it if it has not after `graceMs`. */
  stop(graceMs: number): Promise<void>;
  /** Ends the host at once (SIGKILL); its commands' process groups are the owner's to end. */
  kill(): void;
}

export interface HostLaunchOptions {
  readonly runAs: RunAsAccount | undefined;
  /** V8's old-space limit for the host, in MB: a leak or blow-up in it kills only it. */
  readonly heapLimitMb: number;
  /** Put before everything (prlimit's argv, server/memory-limit.ts): limits host and commands alike. */
  readonly limitPrefix?: readonly string[] | undefined;
}

export type HostLauncher = (options: HostLaunchOptions) => Promise<LaunchedHost>;

/** main.js next to this file once built; from the TypeScript sources (tests), the built one in dist/. */
const HOST_ENTRY = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../dist/host/main.js' : './main.js', import.meta.url));

/** How long a new host may take to say it is ready. */
const READY_TIMEOUT_MS = 30_000;

/**
 * V8's young generation for the host, in MB per semi-space (V8's own default grows to 16). A host
 * forks a process for every command (shell/standby-pool.ts), and a fork copies the page tables of
 * all the host's private memory, which the parent then pays for again in copy-on-write faults until
 * the child has exec'd. A young generation grown to its default maximum was a third of a busy
 * host's memory (97 MB against 63 with this; bench/README.md, twentieth run), while what a host
 * allocates per command is short-lived and small, and the output it moves lives outside V8's heap.
 */
const HOST_SEMI_SPACE_MB = 1;

export const spawnHost: HostLauncher = (options) => {
  const nodeArgv = [process.execPath, `--max-old-space-size=${options.heapLimitMb}`, `--max-semi-space-size=${HOST_SEMI_SPACE_MB}`, HOST_ENTRY];
  const argv = [...(options.limitPrefix ?? []), ...(options.runAs === undefined ? [] : runAsPrefix(options.runAs)), ...nodeArgv];
  const [file = process.execPath, ...args] = argv;
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      // Nothing of winrmd's environment (it may hold WINRMD_ secrets); each command gets its own.
      env: {},
      cwd: '/',
      // stderr stays winrmd's: a host that crashes says why there.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
  } catch (error) {
    return Promise.reject(new HostDiedError(`the shell host could not start: ${error instanceof Error ? error.message : String(error)}`));
  }
  const client = new HostClient((message: ToHost) => {
    child.send(message);
  });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(signal === null ? `exit code ${code ?? 0}` : `signal ${signal}`);
    });
  });
  void exited.then((reason) => {
    client.died(`the shell host ended (${reason})`);
  });
  return new Promise<LaunchedHost>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new HostDiedError('the shell host did not start'));
    }, READY_TIMEOUT_MS);
    // A spawn that fails (setpriv or node missing) may emit 'error' without any 'exit'; after the
    // start, an 'error' is a channel that broke.
    child.on('error', (error) => {
      clearTimeout(timer);
      client.died(`the shell host failed: ${error.message}`);
      reject(new HostDiedError(`the shell host could not start: ${error.message}`));
    });
    void exited.then((reason) => {
      clearTimeout(timer);
      reject(new HostDiedError(`the shell host ended at start (${reason})`));
    });
    child.on('message', (message: unknown) => {
      if (isReply(message)) client.receive(message);
      else if (isReady(message)) {
        clearTimeout(timer);
        resolve({
          pid: child.pid,
          client,
          exited,
          stop: async (graceMs) => {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
            await exited;
            clearTimeout(timer);
          },
          kill: () => {
            child.kill('SIGKILL');
          },
        });
      }
    });
  });
};

/**
 * A host inside the listener's own process: the same protocol and proxies without a process
 * boundary, for unit tests of the handlers (and only for them: it isolates nothing).
 */
export const inProcessHost: HostLauncher = () => {
  const replies: { deliver: (reply: FromHost) => void } = { deliver: () => undefined };
  const server = new HostServer((reply) => {
    setImmediate(() => {
      replies.deliver(reply);
    });
  });
  const client = new HostClient((message) => {
    setImmediate(() => {
      server.handle(message);
    });
  });
  replies.deliver = (reply) => {
    client.receive(reply);
  };
  let markExited: (reason: string) => void = () => undefined;
  const exited = new Promise<string>((resolve) => {
    markExited = resolve;
  });
  const end = async (reason: string): Promise<void> => {
    client.died(reason);
    await server.closeAll();
    markExited(reason);
  };
  return Promise.resolve({
    pid: undefined,
    client,
    exited,
    stop: () => end('stopped'),
    kill: () => void end('killed'),
  });
};
