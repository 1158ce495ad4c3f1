/**
 * Ends `npm run bench` with one short table per benchmark group: name, ops/s (and time per op), or
 * MB/s when the benchmark moves a known number of bytes, and the ratio to the group's baseline.
 * vitest's own table ranks against the fastest entry; a target reads better against the baseline.
 */
import type { Reporter, RunnerTask, RunnerTestFile } from 'vitest/node';
import { benchInfoOf, type BenchInfo } from './bench-info.js';

type Row = MeasuredRow | { readonly name: string; readonly info: BenchInfo; readonly failed: true };

interface MeasuredRow {
  readonly name: string;
  readonly info: BenchInfo;
  readonly failed: false;
  /** Operations per second at the median time per operation. */
  readonly hz: number;
  readonly medianMs: number;
  readonly rme: number;
  readonly samples: number;
}

interface Group {
  readonly title: string;
  readonly rows: readonly Row[];
}

/** Bench tasks directly under `suite` form one group; nested describes form their own. */
function collectGroups(suite: RunnerTask, title: string, groups: Group[]): void {
  if (suite.type === 'test') return;
  const rows: Row[] = [];
  for (const task of suite.tasks) {
    if (task.type !== 'test') {
      collectGroups(task, task.name, groups);
      continue;
    }
    const info = benchInfoOf(task.meta);
    if (info === undefined) continue;
    const result = task.result?.benchmark;
    if (result === undefined || !(result.median > 0)) {
      rows.push({ name: task.name, info, failed: true });
      continue;
    }
    // The median, not tinybench's mean: on a shared two-core machine a few runs land on a busy core,
    // and with the handful of samples a 20 MB transfer allows, they would move the mean a lot.
    const { median, rme, sampleCount } = result;
    rows.push({ name: task.name, info, failed: false, hz: 1000 / median, medianMs: median, rme, samples: sampleCount });
  }
  if (rows.length > 0) groups.push({ title, rows });
}

/** Throughput in the row's own terms: bytes per second when it has bytes, else operations. */
const rate = (row: MeasuredRow): number => row.hz * (row.info.bytesPerOp ?? 1);

function formatNumber(value: number): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function formatTime(ms: number): string {
  if (ms >= 1000) return `${formatNumber(ms / 1000)} s/op`;
  if (ms >= 1) return `${formatNumber(ms)} ms/op`;
  return `${formatNumber(ms * 1000)} µs/op`;
}

function formatRate(row: MeasuredRow): string {
  const perOp = `${formatNumber(row.hz)} ops/s, ${formatTime(row.medianMs)}`;
  if (row.info.bytesPerOp === undefined) return perOp;
  return `${formatNumber(rate(row) / 1e6)} MB/s of ${row.info.unit ?? 'data'} (${perOp})`;
}

function formatRatio(row: MeasuredRow, baseline: Row | undefined): string {
  if (baseline === undefined) return '';
  if (baseline.failed) return 'baseline failed';
  if (row === baseline) return 'baseline';
  // Bytes and ops cannot be compared; a group mixes them only by mistake.
  if ((row.info.bytesPerOp === undefined) !== (baseline.info.bytesPerOp === undefined)) return 'n/a';
  const ratio = rate(row) / rate(baseline);
  return `${ratio >= 10 ? formatNumber(ratio) : ratio.toFixed(2)}× baseline`;
}

export function formatSummary(files: readonly RunnerTestFile[]): { text: string; failures: number } {
  const groups: Group[] = [];
  for (const file of files) collectGroups(file, file.name, groups);
  const lines = [
    '',
    'winrmd benchmark summary: rates from the median time per op; MB = 10^6 bytes;',
    'N× baseline = throughput relative to the group baseline (>1 faster, <1 slower); ± is the mean\'s relative margin of error',
  ];
  for (const group of groups) {
    const baseline = group.rows.find((row) => row.info.baseline);
    const cells = group.rows.map((row) =>
      row.failed
        ? [row.name, 'FAILED: no result (its error is printed above)']
        : [row.name, formatRate(row), `±${row.rme.toFixed(1)}%, ${row.samples} samples`, formatRatio(row, baseline)],
    );
    const widths = [0, 1, 2].map((column) => Math.max(...cells.map((cell) => (cell[column] ?? '').length)));
    lines.push('', group.title);
    for (const cell of cells) {
      const padded = cell.map((text, column) => text.padEnd(widths[column] ?? 0));
      lines.push(`  ${padded.join('  ')}`.trimEnd());
    }
  }
  const failures = groups.flatMap((group) => group.rows).filter((row) => row.failed).length;
  if (failures > 0) lines.push('', `${failures} benchmark(s) FAILED`);
  return { text: `${lines.join('\n')}\n`, failures };
}

export default class BenchSummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = []): void {
    const { text, failures } = formatSummary(files);
    process.stdout.write(text);
    // vitest itself would exit 0 (see bench-with.ts); a broken benchmark must fail `npm run bench`.
    if (failures > 0) process.exitCode = 1;
  }
}
