/**
 * A temporary directory standing in for a cgroup2 mount in which winrmd runs in
 * /system.slice/winrmd.service. It keeps the kernel rules the shell cgroups depend on:
 *
 * - a new cgroup offers the controllers its parent enables (cgroup.controllers from the parent's
 *   cgroup.subtree_control), and has memory.max only when it offers memory;
 * - enabling a controller the cgroup is not offered fails (ENOENT), as does enabling any in a
 *   non-root cgroup that holds processes (EBUSY), and a process cannot join a cgroup that enables
 *   controllers for its children (EBUSY): "no internal processes";
 * - writing a pid to a cgroup.procs moves it: it leaves the cgroup it was in;
 * - a cgroup with processes cannot be removed (EBUSY) unless cgroup.kill was written.
 *
 * chown is recorded in a side file (it needs root). It checks none of the other rules (delegation
 * permissions, memory accounting itself): only a real kernel can, see scripts/test-cgroup-vm.sh.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nodeCgroupFs, type CgroupFs } from '../../../server/cgroup-fs.js';

export const WINRMD_CGROUP = 'system.slice/winrmd.service';

const COMMON_FILES = ['cgroup.procs', 'cgroup.subtree_control', 'cgroup.kill'];
const MEMORY_FILES = ['memory.max', 'memory.swap.max'];

export interface FakeHierarchy {
  readonly root: string;
  readonly fs: CgroupFs;
}

/**
 * A hierarchy in which winrmd's cgroup is offered `controllers` and holds `pids` (winrmd and
 * whatever else its unit or container runs).
 */
export function fakeHierarchy(roots: string[], controllers = 'cpu io memory pids', pids: readonly string[] = ['100', '101']): FakeHierarchy {
  const root = mkdtempSync(join(tmpdir(), 'winrmd-cgroup-'));
  roots.push(root);
  const real = nodeCgroupFs(root);
  const at = (path: string): string => join(root, path);
  const fail = (code: string, path: string): never => {
    throw Object.assign(new Error(`${code}: ${path}`), { code });
  };
  const procsOf = (cgroup: string): string[] => real.read(join(cgroup, 'cgroup.procs')).split('\n').filter((pid) => pid !== '');
  const enabled = (cgroup: string): string[] => real.read(join(cgroup, 'cgroup.subtree_control')).split(/\s+/).filter((name) => name !== '');
  const makeCgroup = (cgroup: string, offered: string): void => {
    mkdirSync(at(cgroup));
    for (const file of COMMON_FILES) writeFileSync(at(join(cgroup, file)), '');
    writeFileSync(at(join(cgroup, 'cgroup.controllers')), offered);
    if (offered.split(' ').includes('memory')) for (const file of MEMORY_FILES) writeFileSync(at(join(cgroup, file)), 'max');
  };
  const allCgroups = (cgroup: string): string[] => [cgroup, ...real.children(cgroup).flatMap((child) => allCgroups(join(cgroup, child)))];
  const movePid = (cgroup: string, pid: string): void => {
    if (cgroup !== '' && enabled(cgroup).length > 0) fail('EBUSY', cgroup);
    for (const other of allCgroups('')) {
      const left = procsOf(other).filter((listed) => listed !== pid);
      writeFileSync(at(join(other, 'cgroup.procs')), left.map((listed) => `${listed}\n`).join(''));
    }
    writeFileSync(at(join(cgroup, 'cgroup.procs')), [...procsOf(cgroup), pid].map((listed) => `${listed}\n`).join(''));
  };
  const changeControllers = (cgroup: string, text: string): void => {
    const now = new Set(enabled(cgroup));
    const offered = real.read(join(cgroup, 'cgroup.controllers')).split(/\s+/);
    for (const token of text.split(/\s+/).filter((part) => part !== '')) {
      const name = token.slice(1);
      if (token.startsWith('+')) {
        if (!offered.includes(name)) fail('ENOENT', cgroup);
        if (cgroup !== '' && procsOf(cgroup).length > 0) fail('EBUSY', cgroup);
        now.add(name);
      } else now.delete(name);
    }
    writeFileSync(at(join(cgroup, 'cgroup.subtree_control')), [...now].join(' '));
  };

  const fs: CgroupFs = {
    ...real,
    write: (path, text) => {
      const cgroup = dirname(path) === '.' ? '' : dirname(path);
      if (path.endsWith('cgroup.procs')) movePid(cgroup, text.trim());
      else if (path.endsWith('cgroup.subtree_control')) changeControllers(cgroup, text);
      else if (path.endsWith('cgroup.kill') && text === '1') writeFileSync(at(join(cgroup, 'cgroup.procs')), '');
      else real.write(path, text);
    },
    mkdir: (path) => {
      const parts = path.split('/');
      for (let depth = 1; depth <= parts.length; depth += 1) {
        const cgroup = parts.slice(0, depth).join('/');
        if (!existsSync(at(cgroup))) makeCgroup(cgroup, enabled(parts.slice(0, depth - 1).join('/')).join(' '));
      }
    },
    rmdir: (path) => {
      if (procsOf(path).length > 0) fail('EBUSY', path);
      for (const entry of readdirSync(at(path), { withFileTypes: true })) if (entry.isFile()) rmSync(at(join(path, entry.name)));
      real.rmdir(path);
    },
    chown: (path, uid) => {
      writeFileSync(at(`${path}.owner`), String(uid));
    },
  };
  for (const file of COMMON_FILES) writeFileSync(at(file), '');
  writeFileSync(at('cgroup.controllers'), controllers);
  writeFileSync(at('cgroup.subtree_control'), controllers);
  makeCgroup('system.slice', controllers);
  writeFileSync(at('system.slice/cgroup.subtree_control'), controllers);
  makeCgroup(WINRMD_CGROUP, controllers);
  writeFileSync(at(join(WINRMD_CGROUP, 'cgroup.procs')), pids.map((pid) => `${pid}\n`).join(''));
  return { root, fs };
}
