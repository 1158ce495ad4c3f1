/**
 * The comparison with OpenSSH (`npm run bench`; bench/README.md): starts a throw-away sshd, winrmd,
 * a throw-away KDC when MIT Kerberos is installed and a bare Fastify, warms winrmd up, runs every
 * step for several rounds, then the open-shells row once, and writes results.json, summary.md and
 * plot.svg to the output directory. Everything it started is stopped by PID at the end, also after a failure.
 */
import { cpus, loadavg, release, totalmem } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBareFastify } from './identify-baseline.js';
import { kerberosAvailable, startKerberosRealm, type KerberosRealm } from './kerberos-realm.js';
import { parseOptions, type Options } from './options.js';
import { buildRows, summaryMarkdown, textTable, type Collected } from './report.js';
import type { BenchResults } from './results.js';
import { ROWS } from './row-catalogue.js';
import { connectSsh } from './ssh-client.js';
import { startSshd } from './sshd.js';
import { COLD_ROW, ROUND_STEPS, shellsStep, warmUpStep, type BenchContext, type StepResult } from './steps.js';
import { renderPlot } from './svg-plot.js';
import { BENCH_PASSWORD, KERBEROS_USER, startWinrmd } from './winrmd-target.js';

const options = parseOptions(process.argv.slice(2), process.env);
const cleanups: (() => Promise<void>)[] = [];
const cleanUp = async (): Promise<void> => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch((error: unknown) => {
      console.error('cleanup failed:', error);
    });
  }
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });
}

const log = (message: string): void => {
  process.stderr.write(`[bench] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
};

function merge(collected: Collected, round: number, result: StepResult): void {
  for (const [id, sides] of Object.entries(result)) {
    const entry = collected.get(id) ?? { winrmd: [], other: [] };
    entry.winrmd[round] = [...(sides.winrmd ?? [])];
    entry.other[round] = [...(sides.other ?? [])];
    collected.set(id, entry);
  }
}

async function opensshVersion(): Promise<string> {
  // `ssh -V` prints to stderr and exits 0.
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile('ssh', ['-V'], (_error, stdout, stderr) => {
      resolve(`${stdout}${stderr}`.trim());
    });
  });
}

/** Every step but the handshake (in the load generator's own process) goes through winrmd's request path. */
function warmUpWanted(options: Options): boolean {
  if (options.serverWarmup === 0) return false;
  return options.only === undefined || [...options.only].some((step) => step !== 'handshake');
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadAverage = loadavg();
  log(`output: ${options.outDir}${options.smoke ? ' (smoke mode)' : ''}`);

  const sshd = await startSshd();
  cleanups.push(() => sshd.stop());
  const ssh = await connectSsh(sshd);
  cleanups.push(() => ssh.close());
  log(`sshd ${sshd.pid} on 127.0.0.1:${sshd.port}, sessions as ${sshd.user}`);

  let realm: KerberosRealm | undefined;
  const skipped = new Map<string, string>();
  if (await kerberosAvailable()) {
    const started = await startKerberosRealm(KERBEROS_USER, BENCH_PASSWORD);
    cleanups.push(() => started.kdc.stop());
    realm = started;
  } else {
    for (const row of ROWS) if (row.id.endsWith('/kerberos-http')) skipped.set(row.id, 'MIT Kerberos (krb5-kdc, krb5-admin-server, krb5-user) is not installed');
  }

  // As root, sshd logs in its own account: winrmd's shells then run as that account too.
  const osUser = process.getuid?.() === 0 ? sshd.user : undefined;
  const winrmd = await startWinrmd(options.shellUsers, Math.ceil(options.shells / options.shellUsers), osUser, realm, options.profileDir);
  if (!winrmd.shellsReadProfile) {
    for (const row of ROWS) if (row.id.includes('-profile/')) skipped.set(row.id, 'not run as root: shells run as the service account, which reads no login profile');
  }
  cleanups.push(() => winrmd.server.stop());
  log(`winrmd ${winrmd.server.pid}: http ${winrmd.server.httpPort}, https ${winrmd.server.httpsPort}${realm === undefined ? '' : ', Kerberos'}`);

  const fastify = await startBareFastify(winrmd.server.httpPort);
  cleanups.push(() => fastify.stop());

  const context: BenchContext = { options, winrmd, sshd, ssh, realm, fastify };
  const collected: Collected = new Map();
  const warmedUp = warmUpWanted(options);
  let warmUpWindowMedians: readonly number[] = [];
  if (warmedUp) {
    log(`warm-up: ${options.serverWarmup} run_cmds over HTTPS Basic and over NTLM against the server just started`);
    const warmUp = await warmUpStep(context);
    merge(collected, 0, warmUp.rows);
    warmUpWindowMedians = warmUp.windowMedians;
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const step of ROUND_STEPS.filter((s) => options.only?.has(s.name) ?? true)) {
      log(`round ${round + 1}/${options.rounds}: ${step.name}`);
      merge(collected, round, await step.run(context, round));
    }
  }
  if (options.only?.has('shells') ?? true) {
    log(`open shells: ${options.shells} (winrmd, then ssh multiplexed, then ssh with a connection each)`);
    merge(collected, 0, await shellsStep(context));
  }

  const results: BenchResults = {
    meta: {
      startedAt,
      finishedAt: new Date().toISOString(),
      smoke: options.smoke,
      rounds: options.rounds,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        kernel: release(),
        loadAverage,
      },
      node: process.version,
      openssh: await opensshVersion(),
      sshSessionAccount: sshd.user,
      sizes: {
        serverWarmupRuns: warmedUp ? options.serverWarmup : 0,
        coldRuns: collected.get(COLD_ROW)?.winrmd[0]?.length ?? 0,
        latencySamplesPerRound: options.latencySamples,
        connectionSamplesPerRound: options.connectionSamples,
        transferBytes: options.transferBytes,
        maxEnvelopeSize: options.maxEnvelopeSize,
        identifySeconds: options.identifySeconds,
        identifyConnections: options.identifyConnections,
        handshakeIterations: options.handshakeIterations,
        shells: Math.ceil(options.shells / options.shellUsers) * options.shellUsers,
        shellUsers: options.shellUsers,
      },
    },
    warmUpWindowMedians,
    rows: buildRows(collected, skipped),
  };
  await mkdir(options.outDir, { recursive: true });
  await writeFile(join(options.outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(options.outDir, 'summary.md'), summaryMarkdown(results));
  await writeFile(join(options.outDir, 'plot.svg'), renderPlot(results));
  process.stdout.write(`${textTable(results)}\n\nwritten to ${options.outDir}\n`);
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
