/** Turns the collected samples into results.json's rows, the printed table and summary.md. */
import type { BenchResults, RowResult, SideResult } from './results.js';
import { ROWS } from './row-catalogue.js';
import { summarize } from './stats.js';

/** Per row id and side, each round's samples. */
export type Collected = Map<string, { winrmd: number[][]; other: number[][] }>;

function side(rounds: readonly number[][]): SideResult | undefined {
  const nonEmpty = rounds.filter((samples) => samples.length > 0);
  if (nonEmpty.length === 0) return undefined;
  return { ...summarize(nonEmpty.flat()), roundMedians: nonEmpty.map((samples) => summarize(samples).median) };
}

export function buildRows(collected: Collected, skipped: ReadonlyMap<string, string>): RowResult[] {
  return ROWS.map((def) => {
    const samples = collected.get(def.id);
    const winrmd = samples === undefined ? undefined : side(samples.winrmd);
    const other = samples === undefined ? undefined : side(samples.other);
    // No ratio to a zero (ssh's per-session memory on a multiplexed connection can be nil).
    const ratio = winrmd !== undefined && other !== undefined && other.median !== 0 ? winrmd.median / other.median : undefined;
    const skip = skipped.get(def.id) ?? (winrmd === undefined ? 'not measured' : undefined);
    return {
      id: def.id,
      figure: def.figure,
      variant: def.variant,
      unit: def.unit,
      better: def.better,
      ...(winrmd === undefined ? {} : { winrmd }),
      ...(def.against === undefined ? {} : { against: { label: def.against, ...(other === undefined ? {} : { result: other }) } }),
      ...(ratio === undefined ? {} : { ratio }),
      ...(def.target === undefined || winrmd === undefined ? {} : { target: { text: def.target.text, met: def.target.met(ratio, winrmd) } }),
      ...(def.note === undefined ? {} : { note: def.note }),
      ...(skip === undefined ? {} : { skipped: skip }),
    };
  });
}

function format(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** `median (p25–p75)`, and p99 for latencies: the spread says how much to trust the median. */
function cell(result: SideResult | undefined, unit: string): string {
  if (result === undefined) return '–';
  const spread = result.n > 1 ? ` (${format(result.p25)}–${format(result.p75)})` : '';
  const p99 = unit === 'ms' && result.n > 1 ? `, p99 ${format(result.p99)}` : '';
  return `${format(result.median)}${spread}${p99}`;
}

const HEADER = ['figure', 'winrmd set-up', 'unit', 'winrmd median (p25–p75)', 'against', 'their median (p25–p75)', 'ratio', 'target'];

function tableRows(results: BenchResults): string[][] {
  return results.rows.map((row) => [
    row.figure,
    row.variant,
    row.unit,
    row.skipped === undefined ? cell(row.winrmd, row.unit) : `skipped: ${row.skipped}`,
    row.against?.label ?? '–',
    cell(row.against?.result, row.unit),
    row.ratio === undefined ? '–' : format(row.ratio),
    row.target === undefined ? '–' : `${row.target.text}: ${row.target.met ? 'met' : 'MISSED'}`,
  ]);
}

export function markdownTable(results: BenchResults): string {
  const escape = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`];
  for (const row of tableRows(results)) lines.push(`| ${row.map(escape).join(' | ')} |`);
  return lines.join('\n');
}

/** A plain-text table for the terminal. */
export function textTable(results: BenchResults): string {
  const rows = [HEADER, ...tableRows(results)];
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => row.map((text, column) => text.padEnd(widths[column] ?? 0)).join('  ')).join('\n');
}

/** What the table cannot say (how measured rows were run), the rows sharing a note together, and the warm-up's course. */
function notes(results: BenchResults): string[] {
  const byNote = new Map<string, string[]>();
  for (const row of results.rows) {
    if (row.note === undefined || row.skipped !== undefined) continue;
    byNote.set(row.note, [...(byNote.get(row.note) ?? []), `${row.figure}, ${row.variant}`]);
  }
  const lines = [...byNote].map(([note, rows]) => `- ${rows.join('; ')}: ${note}`);
  const windows = results.warmUpWindowMedians ?? [];
  if (windows.length > 0) lines.push(`- Warm-up, whole run_cmd over HTTPS Basic, median of each 250 (or of all, if fewer) in ms: ${windows.map((ms) => format(ms)).join(', ')}`);
  return lines.length === 0 ? [] : ['Notes:', '', ...lines, ''];
}

export function summaryMarkdown(results: BenchResults): string {
  const { meta } = results;
  const missed = results.rows.filter((row) => row.target?.met === false);
  return [
    `# winrmd against OpenSSH${meta.smoke ? ' (smoke run: sizes too small to mean anything)' : ''}`,
    '',
    `Run ${meta.startedAt} – ${meta.finishedAt}: ${meta.rounds} round(s), ${meta.machine.cpus} × ${meta.machine.cpuModel}, ` +
      `${meta.machine.memoryGiB} GiB, Linux ${meta.machine.kernel}, load average at start ${meta.machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}; ` +
      `Node ${meta.node}; ${meta.openssh}; ssh sessions as \`${meta.sshSessionAccount}\`.`,
    '',
    `Sizes: ${Object.entries(meta.sizes)
      .map(([name, value]) => `${name} ${value}`)
      .join(', ')}.`,
    '',
    'Ratio = winrmd median / other median (latencies and memory: lower is better for winrmd; rates: higher).',
    '',
    markdownTable(results),
    '',
    missed.length === 0 ? 'Every target with a figure was met.' : `Targets missed: ${missed.map((row) => `${row.figure}, ${row.variant}`).join('; ')}.`,
    '',
    ...notes(results),
    '![latency distributions and throughput](plot.svg)',
    '',
  ].join('\n');
}
