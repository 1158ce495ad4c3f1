/**
 * Where a `--profile` run's time went: reads a V8 .cpuprofile (node --cpu-prof) and prints the
 * functions with the most self time, and the share of each file. For the README's "why" when a
 * target is missed.
 *   node dist-bench/bench/compare/profile-summary.js PROFILE.cpuprofile [TOP]
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../test/support/server-process.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function where(url: string): string {
  if (url === '') return '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith('/') ? relative(REPO_ROOT, path) : path;
}

const [file, topText] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: profile-summary.js PROFILE.cpuprofile [TOP]');
  process.exit(2);
}
// V8's own format; only the fields above are read.
const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, index) => {
  const node = nodes.get(id);
  const micros = profile.timeDeltas[index] ?? 0;
  if (node === undefined) return;
  const frame = node.callFrame;
  const name = `${frame.functionName === '' ? '(anonymous)' : frame.functionName}  ${where(frame.url)}${frame.url === '' ? '' : `:${frame.lineNumber + 1}`}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  byFile.set(where(frame.url), (byFile.get(where(frame.url)) ?? 0) + micros);
  total += micros;
});
const top = Number(topText ?? 25);
const print = (title: string, table: Map<string, number>): void => {
  console.log(`\n${title} (of ${(total / 1e6).toFixed(2)} s sampled)`);
  for (const [name, micros] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((micros / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  }
};
print('self time by function', byFunction);
print('self time by file', byFile);
