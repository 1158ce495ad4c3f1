/**
 * The measurements, grouped in steps. A step runs winrmd's side and the other side back to back,
 * swapping which goes first every round, so slow drifts of a shared machine fall on both alike.
 * Each returns, per row id, the samples of this round: ms per operation for latencies, one MiB/s per
 * transfer, one req/s and one CPU µs per Identify burst.
 */
import type { ChildProcess } from 'node:child_process';
import type { KerberosRealm } from './kerberos-realm.js';
import type { Endpoint } from './loadgen-spec.js';
import { LoadProcess, runLoad, runTransfer } from './loadgen-process.js';
import type { Options } from './options.js';
import { cpuSeconds, processTree, treeCpuSeconds, treeMemory, type TreeMemory } from './process-tree.js';
import type { SshClient } from './ssh-client.js';
import type { ThrowAwaySshd } from './sshd.js';
import { MIB, elapsedMs, summarize } from './stats.js';
import { KERBEROS_USER, type WinrmdTarget } from './winrmd-target.js';

export interface BenchContext {
  readonly options: Options;
  readonly winrmd: WinrmdTarget;
  readonly sshd: ThrowAwaySshd;
  readonly ssh: SshClient;
  readonly realm: KerberosRealm | undefined;
  readonly fastify: { readonly pid: number; readonly port: number };
}

export interface Sides {
  readonly winrmd?: readonly number[];
  readonly other?: readonly number[];
}

export type StepResult = Readonly<Record<string, Sides>>;

export interface Step {
  readonly name: string;
  run(context: BenchContext, round: number): Promise<StepResult>;
}

type Auth = Endpoint['auth'];

function endpoint(context: BenchContext, auth: Auth): Endpoint | undefined {
  if (context.options.auths?.has(auth) === false) return undefined;
  return anyEndpoint(context, auth);
}

/** The endpoint whatever `--auth` selects (the warm-up is no row: it warms the server for all). */
function anyEndpoint(context: BenchContext, auth: Auth): Endpoint | undefined {
  const { server, users } = context.winrmd;
  const first = users[0];
  if (first === undefined) throw new Error('winrmd has no bench user');
  switch (auth) {
    case 'basic-https':
      return { port: server.httpsPort, auth, ...first };
    case 'ntlm-http':
      return { port: server.httpPort, auth, ...first };
    case 'kerberos-http':
      return context.realm === undefined ? undefined : { port: server.httpPort, auth, user: KERBEROS_USER, password: '', ccache: context.realm.ccache };
  }
}

async function alternate(round: number, winrmd: () => Promise<readonly number[]>, other: () => Promise<readonly number[]>): Promise<Sides> {
  if (round % 2 === 0) {
    const w = await winrmd();
    return { winrmd: w, other: await other() };
  }
  const o = await other();
  return { winrmd: await winrmd(), other: o };
}

async function sshSamples(context: BenchContext, mode: 'multiplexed' | 'new-connection', samples: number): Promise<number[]> {
  for (let i = 0; i < context.options.warmup; i++) await context.ssh.timeCommand('true', mode);
  const ms: number[] = [];
  for (let i = 0; i < samples; i++) ms.push(await context.ssh.timeCommand('true', mode));
  return ms;
}

const mibPerSecond = (bytes: number, ms: number): number => bytes / MIB / (ms / 1000);

type LatencyKind = 'shell-command' | 'run-cmd' | 'new-connection';

/**
 * Rows whose winrmd side is one latency scenario per auth, against one kind of ssh `true`. Like
 * `ssh host true`, whose shell reads no login profile for a command, winrmd's shells are opened
 * with WINRS_NOPROFILE=TRUE, so both run the same `sh -c true`; with `loginProfile` (the steps
 * and rows named `…-profile`) they are opened with pywinrm's default, the profile read before
 * each command line.
 */
function latencyStep(kind: LatencyKind, auths: readonly Auth[], loginProfile = false): Step {
  return {
    name: loginProfile ? `${kind}-profile` : kind,
    async run(context, round) {
      const { options } = context;
      const samples = kind === 'new-connection' ? options.connectionSamples : options.latencySamples;
      const mode = kind === 'new-connection' ? 'new-connection' : 'multiplexed';
      const result: Record<string, Sides> = {};
      // A service account reads no profile (README, Profile): those rows would repeat the others.
      if (loginProfile && !context.winrmd.shellsReadProfile) return result;
      for (const auth of auths) {
        const target = endpoint(context, auth);
        if (target === undefined) continue;
        result[`${kind}${loginProfile ? '-profile' : ''}/${auth}`] = await alternate(
          round,
          async () => (await runLoad({ kind, endpoint: target, samples, warmup: options.loadWarmup, loginProfile }, 'samples')).ms,
          () => sshSamples(context, mode, samples),
        );
      }
      return result;
    },
  };
}

/**
 * A transfer's rate, and the CPU each side spent per MiB of it, read from /proc around the run:
 * the server (winrmd's listener, its shell host and the command; sshd, the session and the
 * command) and the client (our load generator, as it reports its own; ssh's ControlMaster, through
 * which the data passes, and this process, which reads or writes ssh's end of the pipe). On a
 * machine whose cores are all busy during a transfer, the totals say more than the rates about
 * what each design costs.
 */
function transferStep(kind: 'stdout' | 'stdin'): Step {
  return {
    name: kind,
    async run(context, round) {
      const { transferBytes: bytes, maxEnvelopeSize } = context.options;
      const mib = bytes / MIB;
      const result: Record<string, Sides> = {};
      for (const auth of ['basic-https', 'ntlm-http', 'kerberos-http'] as const) {
        const target = endpoint(context, auth);
        if (target === undefined) continue;
        const server: { winrmd?: number[]; other?: number[] } = {};
        const client: { winrmd?: number[]; other?: number[] } = {};
        result[`${kind}/${auth}`] = await alternate(
          round,
          async () => {
            // Read where the load generator's timed part starts and ends: its logon, the shell's
            // creation and deletion, and starting a shell host stay out.
            const cpu: Partial<Record<'start' | 'end', number>> = {};
            const transfer = await runTransfer({ kind, endpoint: target, bytes, maxEnvelopeSize }, async (at) => {
              cpu[at] = await treeCpuSeconds(context.winrmd.server.pid);
            });
            server.winrmd = [(((cpu.end ?? Number.NaN) - (cpu.start ?? Number.NaN)) * 1000) / mib];
            client.winrmd = [transfer.cpuMicros / 1000 / mib];
            return [mibPerSecond(transfer.bytes, transfer.ms)];
          },
          async () => {
            const serverBefore = await treeCpuSeconds(context.sshd.pid);
            const masterBefore = await treeCpuSeconds(context.ssh.masterPid);
            const selfBefore = process.cpuUsage();
            const ms = kind === 'stdout' ? await context.ssh.timeStdout(bytes) : await context.ssh.timeStdin(bytes);
            const self = process.cpuUsage(selfBefore);
            const masterMs = ((await treeCpuSeconds(context.ssh.masterPid)) - masterBefore) * 1000;
            server.other = [(((await treeCpuSeconds(context.sshd.pid)) - serverBefore) * 1000) / mib];
            client.other = [(masterMs + (self.user + self.system) / 1000) / mib];
            return [mibPerSecond(bytes, ms)];
          },
        );
        result[`${kind}-cpu-server/${auth}`] = server;
        result[`${kind}-cpu-client/${auth}`] = client;
      }
      return result;
    },
  };
}

/** Identify against winrmd and against bare Fastify: req/s, and the server's CPU per request from /proc. */
const identifyStep: Step = {
  name: 'identify',
  async run(context, round) {
    const { identifyConnections: connections, identifySeconds: seconds } = context.options;
    const cpu: { winrmd?: number; other?: number } = {};
    const burst = async (pid: number, port: number, side: 'winrmd' | 'other'): Promise<number[]> => {
      const before = await cpuSeconds(pid);
      const result = await runLoad({ kind: 'identify', port, connections, seconds }, 'identify');
      const used = (await cpuSeconds(pid)) - before;
      // The server also answered the warm-up requests, which the CPU figure must include.
      cpu[side] = (used * 1e6) / (result.requests + result.warmupRequests);
      return [result.requests / (result.ms / 1000)];
    };
    const rate = await alternate(
      round,
      () => burst(context.winrmd.server.pid, context.winrmd.server.httpPort, 'winrmd'),
      () => burst(context.fastify.pid, context.fastify.port, 'other'),
    );
    const cpuSides = { winrmd: cpu.winrmd === undefined ? [] : [cpu.winrmd], other: cpu.other === undefined ? [] : [cpu.other] };
    return { 'identify/rate': rate, 'identify/cpu': cpuSides };
  },
};

const handshakeStep: Step = {
  name: 'handshake',
  async run(context) {
    const result = await runLoad({ kind: 'handshake-cpu', iterations: context.options.handshakeIterations }, 'handshake-cpu');
    return { 'handshake/ntlm': { winrmd: [result.ntlmMicros] }, 'handshake/kerberos': { winrmd: [result.kerberosMicros] } };
  },
};

/** How many of a just-started server's first run_cmds make the cold row, and its id. */
const COLD_SAMPLES = 250;
export const COLD_ROW = 'cold-run-cmd/basic-https';

export interface WarmUp {
  readonly rows: StepResult;
  /** The median of each COLD_SAMPLES runs of the warm-up over HTTPS Basic, in order: how the server warmed. */
  readonly windowMedians: readonly number[];
}

/**
 * Once, before the rounds: whole run_cmds against the server as it has just started, over HTTPS
 * Basic (the first COLD_SAMPLES of them are the cold row) and then over NTLM, so that the rounds
 * measure a server whose code V8 has compiled, whatever `--auth` selects. ssh's side of the cold
 * row (when `--auth` keeps it) is taken half before the warm-up and half after, as the other rows
 * alternate.
 */
export async function warmUpStep(context: BenchContext): Promise<WarmUp> {
  const { serverWarmup: runs, latencySamples } = context.options;
  const coldRow = endpoint(context, 'basic-https') !== undefined;
  const sshBefore = coldRow ? await sshSamples(context, 'multiplexed', Math.ceil(latencySamples / 2)) : [];
  let basicRuns: readonly number[] = [];
  for (const auth of ['basic-https', 'ntlm-http'] as const) {
    const target = anyEndpoint(context, auth);
    if (target === undefined) continue;
    const { ms } = await runLoad({ kind: 'run-cmd', endpoint: target, samples: runs, warmup: 0, loginProfile: false }, 'samples');
    if (auth === 'basic-https') basicRuns = ms;
  }
  const rows: Record<string, Sides> = {};
  if (coldRow && basicRuns.length > 0) {
    const sshAfter = await sshSamples(context, 'multiplexed', Math.floor(latencySamples / 2));
    rows[COLD_ROW] = { winrmd: basicRuns.slice(0, COLD_SAMPLES), other: [...sshBefore, ...sshAfter] };
  }
  return { rows, windowMedians: windows(basicRuns, COLD_SAMPLES).map((window) => summarize(window).median) };
}

/** Consecutive windows of `size`; a shorter last one only when it is the only one. */
function windows(samples: readonly number[], size: number): number[][] {
  if (samples.length > 0 && samples.length < size) return [[...samples]];
  const out: number[][] = [];
  for (let start = 0; start + size <= samples.length; start += size) out.push(samples.slice(start, start + size));
  return out;
}

export const ROUND_STEPS: readonly Step[] = [
  latencyStep('shell-command', ['basic-https', 'ntlm-http']),
  latencyStep('run-cmd', ['basic-https', 'ntlm-http']),
  latencyStep('shell-command', ['basic-https'], true),
  latencyStep('run-cmd', ['basic-https'], true),
  transferStep('stdout'),
  transferStep('stdin'),
  latencyStep('new-connection', ['basic-https', 'ntlm-http', 'kerberos-http']),
  identifyStep,
  handshakeStep,
];

// ---- the open-shells row: once per run, after the rounds -----------------------------------

const isCommand = (comm: string): boolean => comm === 'sleep';
const SHELL_START_CONCURRENCY = 10;

interface ShellsFigures {
  readonly upMs: number;
  readonly before: TreeMemory;
  readonly after: TreeMemory;
}

const perShellMiB = (figures: ShellsFigures, shells: number, pick: (m: TreeMemory) => number): number => (pick(figures.after) - pick(figures.before)) / 1024 / shells;

async function winrmdShells(context: BenchContext): Promise<ShellsFigures> {
  const { server, users } = context.winrmd;
  const perUser = Math.ceil(context.options.shells / users.length);
  const before = await treeMemory(server.pid, isCommand);
  // `exec`, as on the ssh side: the shell that runs the command line then becomes the command, so
  // neither side's figure holds an interpreter waiting for it (dash does not exec a last command).
  const load = new LoadProcess({ kind: 'shells', port: server.httpPort, users, perUser, command: 'exec sleep 600' });
  try {
    const starting = await load.next();
    if (starting.kind !== 'shells-starting') throw new Error(`shells: unexpected ${starting.kind}`);
    const up = await load.next();
    if (up.kind !== 'shells-up') throw new Error(`shells: unexpected ${up.kind}`);
    return { upMs: up.ms, before, after: await treeMemory(server.pid, isCommand) };
  } finally {
    await load.finish();
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** `shells` ssh sessions, ten starting at a time; up means the session's command printed its first byte. */
async function sshShells(context: BenchContext, mode: 'multiplexed' | 'new-connection', shells: number): Promise<ShellsFigures> {
  const { sshd, ssh } = context;
  const before = await treeMemory(sshd.pid, isCommand);
  const clients: ChildProcess[] = [];
  try {
    const start = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: SHELL_START_CONCURRENCY }, async () => {
        while (next < shells) {
          next += 1;
          clients.push(await ssh.startSession('echo up; exec sleep 600', mode));
        }
      }),
    );
    const upMs = elapsedMs(start);
    return { upMs, before, after: await treeMemory(sshd.pid, isCommand) };
  } finally {
    // The commands first, while they are still sshd's descendants: a session whose client goes away
    // without a terminal leaves its command running.
    for (const stat of await processTree(sshd.pid)) if (isCommand(stat.comm)) killQuietly(stat.pid);
    for (const client of clients) client.kill('SIGTERM');
    await Promise.all(
      clients.map(
        (client) =>
          new Promise((resolve) => {
            if (client.exitCode !== null || client.signalCode !== null) resolve(undefined);
            else client.once('close', resolve);
          }),
      ),
    );
  }
}

export async function shellsStep(context: BenchContext): Promise<StepResult> {
  const shells = Math.ceil(context.options.shells / context.winrmd.users.length) * context.winrmd.users.length;
  const winrmd = await winrmdShells(context);
  const mux = await sshShells(context, 'multiplexed', shells);
  const separate = await sshShells(context, 'new-connection', shells);
  const rss = (figures: ShellsFigures): number => perShellMiB(figures, shells, (m) => m.rssKiB);
  const pss = (figures: ShellsFigures): number => perShellMiB(figures, shells, (m) => m.pssKiB);
  return {
    'shells/rss-mux': { winrmd: [rss(winrmd)], other: [rss(mux)] },
    'shells/rss-separate': { winrmd: [rss(winrmd)], other: [rss(separate)] },
    'shells/pss-separate': { winrmd: [pss(winrmd)], other: [pss(separate)] },
    'shells/up-mux': { winrmd: [winrmd.upMs / 1000], other: [mux.upMs / 1000] },
    'shells/up-separate': { winrmd: [winrmd.upMs / 1000], other: [separate.upMs / 1000] },
  };
}
