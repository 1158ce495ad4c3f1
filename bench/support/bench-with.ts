/**
 * `bench()` plus the BenchInfo the summary needs. vitest's `bench()` returns nothing, so the task it
 * has just registered is taken from the current suite and tagged through its `meta`.
 */
import { bench } from 'vitest';
import { getCurrentSuite } from 'vitest/suite';
import { BENCH_INFO_KEY, type BenchInfo } from './bench-info.js';

/** tinybench's options as vitest's `bench()` takes them. */
type BenchOptions = NonNullable<Parameters<typeof bench>[2]>;
type BenchFn = () => void | Promise<void>;

export function benchWith(name: string, fn: BenchFn, options: BenchOptions, info: BenchInfo): void {
  bench(name, reportingErrors(name, fn), options);
  const task = getCurrentSuite().tasks.at(-1);
  // If a vitest upgrade changes how bench() registers its task, fail loudly rather than print no summary.
  if (task?.type !== 'test' || task.name !== name) throw new Error(`benchWith: cannot find the task vitest registered for '${name}'`);
  Object.assign(task.meta, { [BENCH_INFO_KEY]: info });
}

/**
 * vitest 3.2 drops a benchmark that throws without a word (no error, exit code 0), so the error is
 * printed here; the summary then marks the benchmark failed. The wrapper keeps `fn`'s kind: tinybench
 * calls a function that is not `async` once more to find out whether it returns a promise.
 */
function reportingErrors(name: string, fn: BenchFn): BenchFn {
  const report = (error: unknown): never => {
    console.error(`benchmark '${name}' failed:`, error);
    throw error;
  };
  if (fn.constructor.name === 'AsyncFunction') {
    return async () => {
      try {
        await fn();
      } catch (error) {
        report(error);
      }
    };
  }
  return () => {
    try {
      const result = fn();
      return result instanceof Promise ? result.catch(report) : result;
    } catch (error) {
      return report(error);
    }
  };
}
