/**
 * A temporary directory standing in for a cgroup2 mount whose winrmd runs in
 * /system.slice/winrmd.service. It gives each new directory the interface files the kernel would
 * (cgroup.procs, memory.max, ...), refuses to remove one whose cgroup.procs lists a process unless
 * cgroup.kill was written, and records chown in a side file (chown needs root). It checks none of
 * the kernel's other rules (delegation, no internal processes, memory accounting): only a real
 * hierarchy can.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeCgroupFs, type CgroupFs } from '../../../server/cgroup-fs.js';

const INTERFACE_FILES = ['cgroup.procs', 'cgroup.controllers', 'cgroup.subtree_control', 'memory.max', 'memory.swap.max', 'cgroup.kill'];

/** A hierarchy whose system.slice offers `controllers` to its children. */
export function fakeHierarchy(roots: string[], controllers = 'cpu io memory pids'): { root: string; fs: CgroupFs } {
  const root = mkdtempSync(join(tmpdir(), 'winrmd-cgroup-'));
  roots.push(root);
  const real = nodeCgroupFs(root);
  const fs: CgroupFs = {
    ...real,
    mkdir: (path) => {
      const parts = path.split('/');
      for (let depth = 1; depth <= parts.length; depth += 1) {
        const dir = join(root, ...parts.slice(0, depth));
        if (existsSync(dir)) continue;
        mkdirSync(dir);
        for (const file of INTERFACE_FILES) writeFileSync(join(dir, file), file === 'cgroup.controllers' ? 'memory pids' : '');
      }
    },
    rmdir: (path) => {
      if (readFileSync(join(root, path, 'cgroup.procs'), 'utf8').trim() !== '' && readFileSync(join(root, path, 'cgroup.kill'), 'utf8') !== '1') {
        throw Object.assign(new Error(`EBUSY: ${path}`), { code: 'EBUSY' });
      }
      for (const file of INTERFACE_FILES) {
        rmSync(join(root, path, file), { force: true });
        rmSync(join(root, path, `${file}.owner`), { force: true });
      }
      real.rmdir(path);
    },
    // chown needs root; the stand-in records the owner in a side file instead.
    chown: (path, uid) => {
      writeFileSync(join(root, `${path}.owner`), String(uid));
    },
  };
  fs.mkdir('system.slice/winrmd.service');
  writeFileSync(join(root, 'cgroup.controllers'), controllers);
  writeFileSync(join(root, 'system.slice', 'cgroup.controllers'), controllers);
  return { root, fs };
}

