/**
 * What the summary reporter needs to know about a benchmark beyond its ops/s: whether it is its
 * group's baseline, and how many bytes one operation moves (to print MB/s). It travels in the
 * task's `meta`, which vitest already carries from the worker to reporters in the main process.
 * No vitest runtime imports here: the reporter loads this file into the main process.
 */

export interface BenchInfo {
  /** The group's reference point; every other benchmark in the group is shown as a ratio to it. */
  readonly baseline: boolean;
  /** Bytes one operation moves, for MB/s; absent for benchmarks reported in ops/s. */
  readonly bytesPerOp?: number;
  /** What those bytes are, e.g. `SOAP` or `stdout`, printed after MB/s. */
  readonly unit?: string;
}

export const BENCH_INFO_KEY = 'winrmdBench';

/** Reads back what benchWith recorded; undefined for a task without it (or with something else there). */
export function benchInfoOf(meta: object): BenchInfo | undefined {
  if (!(BENCH_INFO_KEY in meta)) return undefined;
  const value: unknown = meta[BENCH_INFO_KEY];
  if (typeof value !== 'object' || value === null || !('baseline' in value) || typeof value.baseline !== 'boolean') return undefined;
  const bytesPerOp = 'bytesPerOp' in value && typeof value.bytesPerOp === 'number' ? value.bytesPerOp : undefined;
  const unit = 'unit' in value && typeof value.unit === 'string' ? value.unit : undefined;
  return {
    baseline: value.baseline,
    ...(bytesPerOp === undefined ? {} : { bytesPerOp }),
    ...(unit === undefined ? {} : { unit }),
  };
}
