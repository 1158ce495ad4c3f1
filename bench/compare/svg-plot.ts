/**
 * The plot in plot.svg, drawn by hand (no plotting dependency): latency distributions as box plots
 * on a log scale (box p25–p75, bar at the median, whiskers min to p99), and throughput as paired bars.
 */
import type { BenchResults, RowResult, SideResult } from './results.js';

const WIDTH = 960;
const LABEL_WIDTH = 330;
const ROW_HEIGHT = 34;
const COLORS = { winrmd: '#1f77b4', other: '#ff7f0e' } as const;

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(content)}</text>`;
}

function box(result: SideResult, scale: (v: number) => number, y: number, color: string): string {
  const h = 10;
  const parts = [
    `<line x1="${scale(result.min).toFixed(1)}" x2="${scale(result.p99).toFixed(1)}" y1="${y}" y2="${y}" stroke="${color}"/>`,
    `<rect x="${scale(result.p25).toFixed(1)}" y="${y - h / 2}" width="${Math.max(1, scale(result.p75) - scale(result.p25)).toFixed(1)}" height="${h}" fill="${color}" fill-opacity="0.35" stroke="${color}"/>`,
    `<line x1="${scale(result.median).toFixed(1)}" x2="${scale(result.median).toFixed(1)}" y1="${y - h / 2 - 2}" y2="${y + h / 2 + 2}" stroke="${color}" stroke-width="2.5"/>`,
  ];
  return parts.join('');
}

function latencyPanel(rows: readonly RowResult[], top: number): { svg: string; height: number } {
  const values = rows.flatMap((row) => [row.winrmd, row.against?.result].flatMap((r) => (r === undefined ? [] : [r.min, r.p99])));
  if (values.length === 0) return { svg: '', height: 0 };
  const lo = Math.log10(Math.max(0.1, Math.min(...values)) / 1.5);
  const hi = Math.log10(Math.max(...values) * 1.5);
  const scale = (v: number): number => LABEL_WIDTH + ((Math.log10(Math.max(v, 1e-3)) - lo) / (hi - lo)) * (WIDTH - LABEL_WIDTH - 20);
  const parts = [text(10, top + 16, 'Latency (ms, log scale): box p25–p75, bar median, whiskers min–p99', 'font-weight="bold"')];
  rows.forEach((row, index) => {
    const y = top + 40 + index * ROW_HEIGHT;
    parts.push(text(10, y + 4, `${row.figure}: ${row.variant}`, 'font-size="11"'));
    if (row.winrmd !== undefined) parts.push(box(row.winrmd, scale, y - 6, COLORS.winrmd));
    if (row.against?.result !== undefined) parts.push(box(row.against.result, scale, y + 8, COLORS.other));
  });
  const axisY = top + 40 + rows.length * ROW_HEIGHT;
  for (let decade = Math.ceil(lo); decade <= Math.floor(hi); decade++) {
    const x = scale(10 ** decade);
    parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${top + 26}" y2="${axisY - 10}" stroke="#ccc" stroke-dasharray="3,3"/>`);
    parts.push(text(x - 10, axisY + 4, `${10 ** decade}`, 'font-size="11"'));
  }
  return { svg: parts.join('\n'), height: axisY + 20 - top };
}

function throughputPanel(rows: readonly RowResult[], top: number): { svg: string; height: number } {
  const values = rows.flatMap((row) => [row.winrmd?.median, row.against?.result?.median].filter((v): v is number => v !== undefined));
  if (values.length === 0) return { svg: '', height: 0 };
  const max = Math.max(...values) * 1.15;
  const scale = (v: number): number => (v / max) * (WIDTH - LABEL_WIDTH - 20);
  const parts = [text(10, top + 16, 'Throughput (MiB/s, median)', 'font-weight="bold"')];
  rows.forEach((row, index) => {
    const y = top + 34 + index * ROW_HEIGHT;
    parts.push(text(10, y + 12, `${row.figure}: ${row.variant}`, 'font-size="11"'));
    const bar = (result: SideResult | undefined, offset: number, color: string): void => {
      if (result === undefined) return;
      parts.push(`<rect x="${LABEL_WIDTH}" y="${y + offset}" width="${Math.max(1, scale(result.median)).toFixed(1)}" height="11" fill="${color}"/>`);
      parts.push(text(LABEL_WIDTH + scale(result.median) + 4, y + offset + 10, result.median.toFixed(0), 'font-size="10"'));
    };
    bar(row.winrmd, 0, COLORS.winrmd);
    bar(row.against?.result, 13, COLORS.other);
  });
  return { svg: parts.join('\n'), height: 44 + rows.length * ROW_HEIGHT };
}

export function renderPlot(results: BenchResults): string {
  const latency = latencyPanel(
    results.rows.filter((row) => row.unit === 'ms' && row.winrmd !== undefined),
    40,
  );
  const throughput = throughputPanel(
    results.rows.filter((row) => row.unit === 'MiB/s' && row.winrmd !== undefined),
    60 + latency.height,
  );
  const height = 80 + latency.height + throughput.height;
  const legend = [
    `<rect x="10" y="12" width="12" height="12" fill="${COLORS.winrmd}"/>`,
    text(28, 22, 'winrmd'),
    `<rect x="100" y="12" width="12" height="12" fill="${COLORS.other}"/>`,
    text(118, 22, 'OpenSSH (or bare Fastify)'),
    text(330, 22, `${results.meta.startedAt}${results.meta.smoke ? ' (smoke run)' : ''}, ${results.meta.rounds} round(s)`, 'font-size="11" fill="#555"'),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...legend,
    latency.svg,
    throughput.svg,
    '</svg>',
    '',
  ].join('\n');
}
