/** The shape of bench/results/<run>/results.json: what every consumer (summary, plot, smoke test) reads. */
import type { Summary } from './stats.js';

export interface SideResult extends Summary {
  /** The median of each round, in order: how much the machine's noise moved the figure. */
  readonly roundMedians: readonly number[];
}

export interface RowResult {
  readonly id: string;
  /** The figure, e.g. "One command in an open shell". */
  readonly figure: string;
  /** Which winrmd set-up, e.g. "HTTPS Basic". */
  readonly variant: string;
  readonly unit: string;
  readonly better: 'lower' | 'higher';
  readonly winrmd?: SideResult;
  /** What winrmd is compared with, and its figures; absent for rows with no counterpart. */
  readonly against?: { readonly label: string; readonly result?: SideResult };
  /** winrmd's median over the other side's. */
  readonly ratio?: number;
  readonly target?: { readonly text: string; readonly met: boolean };
  readonly note?: string;
  /** Why the row has no figures (e.g. MIT Kerberos is not installed). */
  readonly skipped?: string;
}

export interface BenchResults {
  readonly meta: {
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly smoke: boolean;
    readonly rounds: number;
    readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly memoryGiB: number; readonly kernel: string; readonly loadAverage: readonly number[] };
    readonly node: string;
    readonly openssh: string;
    readonly sshSessionAccount: string;
    readonly sizes: Record<string, number>;
  };
  /** The median of each 250 run_cmds of the warm-up over HTTPS Basic, in order (empty: none ran). */
  readonly warmUpWindowMedians?: readonly number[];
  readonly rows: readonly RowResult[];
}
