/** Counting from /proc what a run leaves behind: processes of a uid, a process's descriptors, its ptys. */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Living (not zombie) processes whose real uid is `uid`. */
export function processesOf(uid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let status: string;
    try {
      status = readFileSync(`/proc/${entry}/status`, 'utf8');
    } catch {
      continue; // Gone while we looked.
    }
    const state = /^State:\s+(\S)/m.exec(status)?.[1];
    const realUid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
    if (realUid === String(uid) && state !== 'Z' && state !== 'X') found.push(Number(entry));
  }
  return found;
}

/** What each open descriptor of `pid` points at (`socket:[...]`, `/dev/pts/3`, a path). */
export function descriptorsOf(pid: number): string[] {
  const targets: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      targets.push(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // Closed while we looked.
    }
  }
  return targets;
}

/** The pseudo-terminals among a process's descriptors (the multiplexer or a terminal). */
export function ptysOf(pid: number): string[] {
  return descriptorsOf(pid).filter((target) => target === '/dev/ptmx' || target.startsWith('/dev/pts/'));
}

/** The pids of processes whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && Number(fields[1]) === pid) children.push(Number(entry));
    } catch {
      continue;
    }
  }
  return children;
}

/** Resident memory of a process in bytes (VmRSS), 0 if it is gone. */
export function residentBytes(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    return 0;
  }
}
