/**
 * A vitest reporter that ends the run with one plain line, `tests: N passed, M failed[, K skipped]`,
 * so CI logs can be grepped without parsing the default reporter's colours and layout.
 *
 * It counts test cases, not files. Two cases are not plain test results and are counted as failures,
 * because a line saying "0 failed" for a run that failed would mislead:
 * - tests that vitest marked skipped because their suite's beforeAll hook (or collection) failed;
 * - a suite or file whose own hooks failed after its tests ran, or that failed without holding any test
 *   (e.g. an import error), counts as one failure.
 */
import type { Reporter, RunnerTask, RunnerTestFile } from 'vitest/node';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function ownFailure(task: RunnerTask): boolean {
  return task.result?.state === 'fail' && (task.result.errors?.length ?? 0) > 0;
}

function anyTestRan(task: RunnerTask): boolean {
  if (task.type === 'test') return task.result?.state === 'pass' || task.result?.state === 'fail';
  return task.tasks.some(anyTestRan);
}

function count(task: RunnerTask, brokenAncestor: boolean, counts: Counts): void {
  if (task.type === 'test') {
    const state = task.result?.state;
    // Skipped by declaration (it.skip, skipIf, describe.skip): vitest gives such tests no result.
    const declaredSkip = state === undefined && (task.mode === 'skip' || task.mode === 'todo');
    if (state === 'pass') counts.passed += 1;
    else if (declaredSkip && !brokenAncestor) counts.skipped += 1;
    else if (state === 'skip' || state === 'todo') {
      if (brokenAncestor) counts.failed += 1;
      else counts.skipped += 1;
    } else counts.failed += 1; // 'fail', or never finished
    return;
  }
  const failedItself = ownFailure(task);
  const ran = anyTestRan(task);
  // Failed before any test could run: its skipped tests are failures.
  const broken = brokenAncestor || (failedItself && !ran);
  if (failedItself && (ran || task.tasks.length === 0)) counts.failed += 1;
  for (const child of task.tasks) count(child, broken, counts);
}

export function summarize(files: readonly RunnerTestFile[]): string {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const file of files) count(file, false, counts);
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
  return `tests: ${counts.passed} passed, ${counts.failed} failed${skipped}`;
}

export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[], errors: unknown[]): void {
    if (errors.length > 0) process.stdout.write(`unhandled errors: ${errors.length}\n`);
    process.stdout.write(`${summarize(files)}\n`);
  }
}
