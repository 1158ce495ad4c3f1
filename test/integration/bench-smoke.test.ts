/**
 * The OpenSSH comparison (bench/compare/, `npm run bench`) in its smoke mode: one round at tiny
 * sizes against a real throw-away sshd, KDC and winrmd. Asserts that the run completes and that its
 * results carry every row with figures, a summary and a plot; never how fast anything was (the
 * numbers of a smoke run mean nothing). Needs `npm run build:bench` (scripts/test.sh runs it) and
 * Debian's openssh-server/-client and MIT Kerberos (scripts/test.sh installs them).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../../bench/compare/results.js';
import { ROWS } from '../../bench/compare/row-catalogue.js';
import { REPO_ROOT } from '../support/server-process.js';

const MAIN = join(REPO_ROOT, 'dist-bench', 'bench', 'compare', 'main.js');
// Some 35 s on a loaded 2-core machine; the margin is for a slower CI runner, not an expectation.
const RUN_TIMEOUT_MS = 150_000;

interface RunOutput {
  code: number | null;
  output: string;
}

/** Runs the comparison; on timeout it gets SIGTERM, which makes it stop what it started. */
function runSmoke(outDir: string): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, '--smoke', '--out', outDir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGTERM'), RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

let outDir = '';
let run: RunOutput = { code: null, output: '' };
let results: BenchResults | undefined;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build:bench\` (scripts/test.sh does)`);
  outDir = await mkdtemp(join(tmpdir(), 'winrmd-bench-smoke-'));
  run = await runSmoke(outDir);
  if (run.code === 0) results = JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')) as BenchResults;
}, RUN_TIMEOUT_MS + 10_000);

afterAll(async () => {
  if (outDir !== '') await rm(outDir, { recursive: true, force: true });
});

function finite(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

describe('npm run bench -- --smoke', () => {
  it('completes and writes results.json', () => {
    expect(run.output).not.toMatch(/^Error/m);
    expect(run.code, run.output).toBe(0);
    expect(results?.meta.smoke).toBe(true);
    expect(results?.meta.rounds).toBe(1);
  });

  it('has every row of the catalogue, in order, with figures on both sides', () => {
    expect(results?.rows.map((row) => row.id)).toEqual(ROWS.map((row) => row.id));
    for (const row of results?.rows ?? []) {
      // Not as root, winrmd's shells run as its service account, which reads no login profile.
      if (process.getuid?.() !== 0 && row.id.includes('-profile/')) {
        expect(row.skipped, row.id).toMatch(/not run as root/);
        continue;
      }
      expect(row.skipped, row.id).toBeUndefined();
      expect(finite(row.winrmd?.median), `${row.id}: winrmd median`).toBe(true);
      expect(row.winrmd?.roundMedians.length, row.id).toBe(1);
      const definition = ROWS.find((def) => def.id === row.id);
      if (definition?.against === undefined) {
        expect(row.against, row.id).toBeUndefined();
        continue;
      }
      expect(row.against?.label, row.id).toBe(definition.against);
      const other = row.against?.result?.median;
      expect(finite(other), `${row.id}: other median`).toBe(true);
      // A ratio to nothing is left out (an ssh session on a shared connection may cost no memory at all).
      if (other !== 0) expect(finite(row.ratio), `${row.id}: ratio`).toBe(true);
      if (definition.target !== undefined) expect(typeof row.target?.met, row.id).toBe('boolean');
    }
  });

  it('measures latency rows from several samples and reports their spread', () => {
    const latency = results?.rows.filter((row) => row.unit === 'ms' && row.skipped === undefined) ?? [];
    expect(latency.length).toBeGreaterThan(0);
    for (const row of latency) {
      const winrmd = row.winrmd;
      expect(winrmd?.n, row.id).toBeGreaterThan(1);
      if (winrmd === undefined) continue;
      expect(winrmd.min).toBeLessThanOrEqual(winrmd.p25);
      expect(winrmd.p25).toBeLessThanOrEqual(winrmd.median);
      expect(winrmd.median).toBeLessThanOrEqual(winrmd.p75);
      expect(winrmd.p75).toBeLessThanOrEqual(winrmd.p99);
      expect(winrmd.p99).toBeLessThanOrEqual(winrmd.max);
    }
  });

  it('warms winrmd up first and says how, and how each latency row opened its shells', async () => {
    // Smoke mode: 3 run_cmds per authentication, one window of them.
    expect(results?.meta.sizes['serverWarmupRuns']).toBe(3);
    expect(results?.meta.sizes['coldRuns']).toBe(3);
    expect(results?.warmUpWindowMedians?.length).toBe(1);
    expect(finite(results?.warmUpWindowMedians?.[0])).toBe(true);
    const summary = await readFile(join(outDir, 'summary.md'), 'utf8');
    expect(summary).toMatch(/^- .*Whole run_cmd, winrmd just started, HTTPS Basic: the warm-up's first 250/m);
    expect(summary).toMatch(/^- One command in an open shell, HTTPS Basic;.*: WINRS_NOPROFILE TRUE/m);
    expect(summary).toMatch(/^- Warm-up, whole run_cmd over HTTPS Basic, median of each 250 \(or of all, if fewer\) in ms: [\d.]+$/m);
  });

  it('writes a summary table with a line per row and a plot', async () => {
    const summary = await readFile(join(outDir, 'summary.md'), 'utf8');
    for (const row of results?.rows ?? []) expect(summary, row.id).toContain(`| ${row.figure} | ${row.variant} |`);
    const plot = await readFile(join(outDir, 'plot.svg'), 'utf8');
    expect(plot).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(plot.trimEnd()).toMatch(/<\/svg>$/);
    // One bar pair per throughput row with both sides measured.
    const throughputRows = results?.rows.filter((row) => row.unit === 'MiB/s') ?? [];
    expect((plot.match(/<rect [^>]*height="11"/g) ?? []).length).toBe(throughputRows.length * 2);
  });
});
