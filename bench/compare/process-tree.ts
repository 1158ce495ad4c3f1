/**
 * Memory and CPU of a server and every process below it, read from /proc. The tree, not one PID:
 * sshd forks per connection, and winrmd's shells (and, later, its per-user host processes) are its
 * descendants, so only the whole tree says what serving N sessions costs.
 */
import { execFileSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  /** utime + stime, in clock ticks. */
  readonly cpuTicks: number;
  /** cutime + cstime: the CPU of its children that have exited and been waited for. */
  readonly reapedChildTicks: number;
}

export interface TreeMemory {
  /** Sum of VmRSS: counts pages shared between the processes once per process. */
  readonly rssKiB: number;
  /** Sum of Pss (shared pages divided among their sharers): what the tree really holds. */
  readonly pssKiB: number;
  readonly processes: number;
}

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

async function readStat(pid: number): Promise<ProcStat | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone between readdir and now
  }
  // comm may hold spaces and parentheses: it runs to the last ')'.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // After comm: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
  return {
    pid,
    ppid: Number(fields[1]),
    comm: text.slice(open + 1, close),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
    reapedChildTicks: Number(fields[13]) + Number(fields[14]),
  };
}

async function allProcesses(): Promise<ProcStat[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const stats = await Promise.all(pids.map(readStat));
  return stats.filter((stat): stat is ProcStat => stat !== undefined);
}

/** `root` and all its descendants. */
export async function processTree(root: number): Promise<ProcStat[]> {
  const all = await allProcesses();
  const children = new Map<number, ProcStat[]>();
  for (const stat of all) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const tree = all.filter((stat) => stat.pid === root);
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]?.pid ?? -1) ?? []));
  return tree;
}

async function statusKiB(pid: number, file: 'status' | 'smaps_rollup', field: string): Promise<number> {
  try {
    const text = await readFile(`/proc/${pid}/${file}`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return Number(match?.[1] ?? 0);
  } catch {
    return 0; // exited, or (Pss of another user's process) not readable without root
  }
}

/** Memory of the tree under `root`, leaving out processes whose name `exclude` picks (the commands themselves). */
export async function treeMemory(root: number, exclude: (comm: string) => boolean): Promise<TreeMemory> {
  const tree = (await processTree(root)).filter((stat) => !exclude(stat.comm));
  const rss = await Promise.all(tree.map((stat) => statusKiB(stat.pid, 'status', 'VmRSS')));
  const pss = await Promise.all(tree.map((stat) => statusKiB(stat.pid, 'smaps_rollup', 'Pss')));
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  return { rssKiB: sum(rss), pssKiB: sum(pss), processes: tree.length };
}

/** CPU seconds (user + system) one process has used so far. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readStat(pid);
  if (stat === undefined) throw new Error(`process ${pid} is gone`);
  return stat.cpuTicks / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU seconds used so far by `root` and every process below it, those that have exited included:
 * a command that ran and ended between two readings (the `head` of a transfer) is in its waiting
 * parent's cutime/cstime, a living one in its own utime/stime, so each is counted once. The
 * difference of two readings is what the tree spent in between.
 *
 * Reading /proc is not one moment: a child reaped between the reading of its own stat and its
 * parent's would be counted twice, or not at all. So the tree is read until two readings in a row
 * agree on its processes and on every parent's reaped children's time.
 */
export async function treeCpuSeconds(root: number): Promise<number> {
  let previous = await processTree(root);
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await processTree(root);
    if (current.length === 0) throw new Error(`process ${root} is gone`);
    if (sameTree(previous, current)) return current.reduce((sum, stat) => sum + stat.cpuTicks + stat.reapedChildTicks, 0) / CLOCK_TICKS_PER_SECOND;
    previous = current;
  }
  throw new Error(`the processes under ${root} kept changing while they were read`);
}

function sameTree(a: readonly ProcStat[], b: readonly ProcStat[]): boolean {
  const reaped = new Map(a.map((stat) => [stat.pid, stat.reapedChildTicks]));
  return a.length === b.length && b.every((stat) => reaped.get(stat.pid) === stat.reapedChildTicks);
}
