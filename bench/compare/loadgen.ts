/**
 * The load generator: a process of its own, so that its work (building and sealing requests,
 * reading replies) never shares an event loop with the orchestrator or the server. Takes one LoadSpec
 * as a JSON argument, prints LoadResult lines on stdout, exits non-zero with the error on stderr.
 * Our own small client rather than pywinrm, whose Python XML handling would measure itself.
 */
import type { LoadSpec } from './loadgen-spec.js';
import { runScenario } from './loadgen-scenarios.js';

const [specText] = process.argv.slice(2);
if (specText === undefined) {
  console.error('usage: loadgen.js <LoadSpec as JSON>');
  process.exit(2);
}
try {
  // The orchestrator in this repository wrote it from the LoadSpec type.
  await runScenario(JSON.parse(specText) as LoadSpec);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
