/** Runs the load generator (loadgen.js, next to this file once compiled) as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './loadgen-spec.js';

const LOADGEN = fileURLToPath(new URL('./loadgen.js', import.meta.url));
const TIMEOUT_MS = 15 * 60_000;

export class LoadProcess {
  readonly #child: ChildProcess;
  readonly #results: LoadResult[] = [];
  #waiting: ((result: LoadResult) => void) | undefined;
  #stderr = '';
  readonly #exit: Promise<void>;

  constructor(spec: LoadSpec) {
    this.#child = spawn(process.execPath, [LOADGEN, JSON.stringify(spec)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let pending = '';
    this.#child.stdout?.setEncoding('utf8');
    this.#child.stdout?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      // The load generator prints only LoadResult lines (loadgen-spec.ts).
      for (const line of lines) if (line.trim() !== '') this.#deliver(JSON.parse(line) as LoadResult);
    });
    this.#child.stderr?.setEncoding('utf8');
    this.#child.stderr?.on('data', (chunk: string) => (this.#stderr += chunk));
    this.#exit = new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), TIMEOUT_MS);
      this.#child.on('error', reject);
      this.#child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`load generator (${spec.kind}) failed: exit ${String(code)} ${String(signal)}\n${this.#stderr.trim()}`));
      });
    });
    // Reported by next() or finish(); never an unhandled rejection in between.
    this.#exit.catch(() => undefined);
  }

  #deliver(result: LoadResult): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting === undefined) this.#results.push(result);
    else waiting(result);
  }

  /** The next result line; rejects if the process ends first. */
  next(): Promise<LoadResult> {
    const queued = this.#results.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      this.#waiting = resolve;
      this.#exit.then(
        () => {
          reject(new Error('the load generator exited without a result'));
        },
        reject,
      );
    });
  }

  /** A line on its stdin: the go-ahead after a transfer-mark. */
  send(line: string): void {
    this.#child.stdin?.write(`${line}\n`);
  }

  /** The next result, which must be of `kind`. */
  async expect<K extends LoadResult['kind']>(kind: K): Promise<Extract<LoadResult, { kind: K }>> {
    const result = await this.next();
    if (result.kind !== kind) throw new Error(`expected a ${kind} result, got ${result.kind}`);
    return result as Extract<LoadResult, { kind: K }>;
  }

  /** Closes its stdin (the shells scenario's cue to clean up) and waits for a clean exit. */
  async finish(): Promise<void> {
    this.#child.stdin?.end();
    await this.#exit;
  }
}

/** Runs a spec to completion and returns its one result of the given kind. */
export async function runLoad<K extends LoadResult['kind']>(spec: LoadSpec, kind: K): Promise<Extract<LoadResult, { kind: K }>> {
  const load = new LoadProcess(spec);
  try {
    return await load.expect(kind);
  } finally {
    await load.finish();
  }
}

/**
 * Runs a transfer spec, calling `atMark` where its timed part starts and where it ends (the load
 * generator waits meanwhile), and returns its result.
 */
export async function runTransfer(spec: Extract<LoadSpec, { kind: 'stdout' | 'stdin' }>, atMark: (at: 'start' | 'end') => Promise<void>): Promise<Extract<LoadResult, { kind: 'transfer' }>> {
  const load = new LoadProcess(spec);
  try {
    for (const at of ['start', 'end'] as const) {
      const mark = await load.expect('transfer-mark');
      if (mark.at !== at) throw new Error(`expected the transfer's ${at} mark, got ${mark.at}`);
      await atMark(at);
      load.send('go');
    }
    return await load.expect('transfer');
  } finally {
    await load.finish();
  }
}
