/**
 * The comparison's command line: `--smoke` (or WINRMD_BENCH_SMOKE=1) for tiny sizes and one round,
 * `--rounds N`, `--shells N` (the 1,000-shell row, scaled down on a small machine), `--mib N`
 * (stdout/stdin transfer size), `--warm-up N` (run_cmds per set-up before the rounds; 0 for none),
 * `--out DIR`, `--only STEP,...` and `--auth AUTH,...` (a partial run, for investigating),
 * `--profile DIR` (winrmd under `node --cpu-prof`).
 */
import { join } from 'node:path';
import { REPO_ROOT } from '../../test/support/server-process.js';

export interface Options {
  readonly smoke: boolean;
  readonly rounds: number;
  /** Samples per round of the per-command latency rows. */
  readonly latencySamples: number;
  /** Samples per round of the new-connection rows. */
  readonly connectionSamples: number;
  /** Untimed runs before the samples of ssh's side of a latency row. */
  readonly warmup: number;
  /**
   * Untimed runs before the samples of winrmd's side: the load generator is a new Node process each
   * round, and until V8 has optimized its code (and the listener's) a run measures the compiler.
   */
  readonly loadWarmup: number;
  /**
   * Whole run_cmds winrmd runs before the first round, over HTTPS Basic and then NTLM: a listener
   * that has just started needs a thousand or two before V8 has compiled its request path
   * (bench/README.md, twentieth run), and the rows are to measure a server that has been running,
   * as sshd's C is from the start. The first of them give the cold row.
   */
  readonly serverWarmup: number;
  readonly transferBytes: number;
  /** MaxEnvelopeSize of the transfer rows: 500 KB, Windows' default MaxEnvelopeSizekb. */
  readonly maxEnvelopeSize: number;
  readonly identifySeconds: number;
  readonly identifyConnections: number;
  readonly handshakeIterations: number;
  readonly shells: number;
  readonly shellUsers: number;
  readonly outDir: string;
  /** `--only stdout,stdin`: just these steps (names as in steps.ts, `shells` for the open-shells row). */
  readonly only: ReadonlySet<string> | undefined;
  /** `--auth basic-https,ntlm-http`: the latency and transfer rows of just these set-ups. */
  readonly auths: ReadonlySet<string> | undefined;
  /** `--profile DIR`: run winrmd under `node --cpu-prof`, its profile written to DIR when it stops. */
  readonly profileDir: string | undefined;
}

function numberAfter(args: readonly string[], flag: string): number | undefined {
  const index = args.indexOf(flag);
  if (index < 0) return undefined;
  const value = Number(args[index + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
  return value;
}

/** A count that may be 0 (`--warm-up 0`: measure the server as it starts). */
function countAfter(args: readonly string[], flag: string): number | undefined {
  const index = args.indexOf(flag);
  if (index < 0) return undefined;
  const text = args[index + 1] ?? '';
  if (!/^\d+$/.test(text)) throw new Error(`${flag} needs a whole number, 0 or more`);
  return Number(text);
}

function listAfter(args: readonly string[], flag: string): ReadonlySet<string> | undefined {
  const index = args.indexOf(flag);
  return index >= 0 ? new Set((args[index + 1] ?? '').split(',')) : undefined;
}

export function parseOptions(args: readonly string[], env: NodeJS.ProcessEnv): Options {
  const smoke = args.includes('--smoke') || env['WINRMD_BENCH_SMOKE'] === '1';
  const outIndex = args.indexOf('--out');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = outIndex >= 0 && args[outIndex + 1] !== undefined ? (args[outIndex + 1] ?? '') : join(REPO_ROOT, 'bench', 'results', smoke ? `${stamp}-smoke` : stamp);
  const shells = numberAfter(args, '--shells') ?? (smoke ? 4 : 1000);
  const only = listAfter(args, '--only');
  return {
    smoke,
    rounds: numberAfter(args, '--rounds') ?? (smoke ? 1 : 5),
    latencySamples: smoke ? 3 : 30,
    connectionSamples: smoke ? 2 : 8,
    warmup: smoke ? 1 : 3,
    loadWarmup: smoke ? 1 : 30,
    serverWarmup: countAfter(args, '--warm-up') ?? (smoke ? 3 : 2000),
    transferBytes: (numberAfter(args, '--mib') ?? (smoke ? 1 : 200)) * 1024 * 1024,
    maxEnvelopeSize: 512_000,
    identifySeconds: smoke ? 0.3 : 3,
    identifyConnections: 10,
    handshakeIterations: smoke ? 10 : 300,
    shells,
    shellUsers: Math.min(10, shells),
    outDir,
    only,
    auths: listAfter(args, '--auth'),
    profileDir: args.includes('--profile') ? args[args.indexOf('--profile') + 1] : undefined,
  };
}
