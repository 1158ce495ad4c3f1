/**
 * The per-shell memory cgroups against a temporary directory standing in for the cgroup2 mount
 * (fake-cgroup-fs.ts says what the stand-in does and does not check).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { findCgroup2Mount, type CgroupFs } from '../../../server/cgroup-fs.js';
import { fakeHierarchy } from './fake-cgroup-fs.js';
import { ownCgroupPath, ShellCgroups } from '../../../server/shell-cgroups.js';

const log = pino({ level: 'silent' });
const SELF = '12:memory:/system.slice/winrmd.service\n0::/system.slice/winrmd.service\n';
const roots: string[] = [];

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function setUp(fs: CgroupFs, isRoot = true): ShellCgroups {
  const cgroups = ShellCgroups.setUp(fs, SELF, isRoot, log);
  if (typeof cgroups === 'string') throw new Error(cgroups);
  return cgroups;
}

/** The stand-in with one operation failing as the kernel or a manager might refuse it. */
function failing(fs: CgroupFs, operation: 'write' | 'mkdir' | 'chown', pathPart: string, code: string): CgroupFs {
  const refuse = (attempted: string, path: string): void => {
    if (attempted === operation && path.includes(pathPart)) throw Object.assign(new Error(`${code}: ${path}`), { code });
  };
  return {
    ...fs,
    write: (path, text) => {
      refuse('write', path);
      fs.write(path, text);
    },
    mkdir: (path) => {
      refuse('mkdir', path);
      fs.mkdir(path);
    },
    chown: (path, uid) => {
      refuse('chown', path);
      fs.chown(path, uid);
    },
  };
}

const read = (root: string, path: string): string => readFileSync(join(root, path), 'utf8');

describe('ownCgroupPath', () => {
  it('takes the unified (0::) line, whatever v1 lines come before it', () => {
    expect(ownCgroupPath(SELF)).toBe('/system.slice/winrmd.service');
    expect(ownCgroupPath('0::/\n')).toBe('/');
    expect(ownCgroupPath('4:memory:/x\n1:name=systemd:/x\n')).toBeUndefined();
  });
});

describe('findCgroup2Mount', () => {
  it('finds the unified mount of a hybrid layout, the root of a unified one, nothing on v1 alone', () => {
    const root = mkdtempSync(join(tmpdir(), 'winrmd-mount-'));
    roots.push(root);
    expect(findCgroup2Mount(root)).toBeUndefined();
    mkdirSync(join(root, 'unified'));
    writeFileSync(join(root, 'unified', 'cgroup.controllers'), '');
    expect(findCgroup2Mount(root)).toBe(`${root}/unified`);
    writeFileSync(join(root, 'cgroup.controllers'), 'memory');
    expect(findCgroup2Mount(root)).toBe(root);
  });
});

describe('ShellCgroups.setUp', () => {
  it('makes winrmd-shells beside winrmd’s own cgroup, with memory enabled on the way', () => {
    const { root, fs } = fakeHierarchy(roots);
    expect(setUp(fs).path).toBe('system.slice/winrmd-shells');
    expect(read(root, 'system.slice/cgroup.subtree_control')).toBe('+memory');
    expect(read(root, 'system.slice/winrmd-shells/cgroup.subtree_control')).toBe('+memory');
  });

  it('leaves the parent’s subtree_control alone when memory is already enabled there', () => {
    const { root, fs } = fakeHierarchy(roots);
    writeFileSync(join(root, 'system.slice', 'cgroup.subtree_control'), 'cpu memory');
    setUp(fs);
    expect(read(root, 'system.slice/cgroup.subtree_control')).toBe('cpu memory');
  });

  it('says why not when winrmd is not root, has no v2 line, or the hierarchy has no memory controller', () => {
    const { fs } = fakeHierarchy(roots, 'cpu pids');
    expect(ShellCgroups.setUp(fs, SELF, false, log)).toBe('winrmd is not root');
    expect(ShellCgroups.setUp(fs, '1:name=systemd:/x\n', true, log)).toBe('no cgroup v2 line in /proc/self/cgroup');
    expect(ShellCgroups.setUp(fs, SELF, true, log)).toBe('no memory controller in the cgroup v2 hierarchy');
  });

  it('says why not when the kernel refuses enabling memory or making the subtree', () => {
    const busy = fakeHierarchy(roots);
    expect(ShellCgroups.setUp(failing(busy.fs, 'write', 'system.slice/cgroup.subtree_control', 'EBUSY'), SELF, true, log)).toMatch(/not usable: EBUSY/);
    const denied = fakeHierarchy(roots);
    expect(ShellCgroups.setUp(failing(denied.fs, 'mkdir', 'winrmd-shells', 'EACCES'), SELF, true, log)).toMatch(/not usable: EACCES/);
  });

  it('removes the empty leftovers of a winrmd that is gone, keeps those with processes and those of a running winrmd', () => {
    const { root, fs } = fakeHierarchy(roots);
    // Beyond any pid_max: a winrmd that no longer runs.
    const gone = 2 ** 30;
    fs.mkdir(`system.slice/winrmd-shells/host-${gone}-1/shell-2`);
    fs.mkdir(`system.slice/winrmd-shells/host-${gone}-3/host`);
    writeFileSync(join(root, `system.slice/winrmd-shells/host-${gone}-3/host/cgroup.procs`), '4242\n');
    fs.mkdir(`system.slice/winrmd-shells/host-${process.pid}-1/shell-2`);
    setUp(fs);
    expect(existsSync(join(root, `system.slice/winrmd-shells/host-${gone}-1`))).toBe(false);
    expect(existsSync(join(root, `system.slice/winrmd-shells/host-${gone}-3/host`))).toBe(true);
    expect(existsSync(join(root, `system.slice/winrmd-shells/host-${process.pid}-1/shell-2`))).toBe(true);
  });
});

describe('ShellCgroups per host and shell', () => {
  it('moves the host into its leaf and gives the user only the common ancestor’s cgroup.procs', () => {
    const { root, fs } = fakeHierarchy(roots);
    const host = setUp(fs).forHost(4242, 1001);
    expect(host?.path).toMatch(/^system\.slice\/winrmd-shells\/host-\d+-\d+$/);
    const path = host?.path ?? '';
    expect(read(root, `${path}/host/cgroup.procs`)).toBe('4242');
    expect(read(root, `${path}/cgroup.subtree_control`)).toBe('+memory');
    expect(read(root, `${path}/cgroup.procs.owner`)).toBe('1001');
    expect(existsSync(join(root, `${path}/host/cgroup.procs.owner`))).toBe(false);
  });

  it('gives each shell a cgroup with memory.max, no swap, and a cgroup.procs the user may write', () => {
    const { root, fs } = fakeHierarchy(roots);
    const cgroups = setUp(fs);
    const host = cgroups.forHost(4242, 1001);
    if (host === undefined) throw new Error('no host cgroup');
    const first = cgroups.forShell(host, 'A1', 1024 * 1024 * 1024);
    const second = cgroups.forShell(host, 'A1', 128 * 1024 * 1024);
    expect(first?.path).not.toBe(second?.path);
    expect(first?.procs).toBe(join(root, first?.path ?? '', 'cgroup.procs'));
    expect(read(root, `${first?.path ?? ''}/memory.max`)).toBe('1073741824');
    expect(read(root, `${second?.path ?? ''}/memory.max`)).toBe('134217728');
    expect(read(root, `${first?.path ?? ''}/memory.swap.max`)).toBe('0');
    expect(read(root, `${first?.path ?? ''}/cgroup.procs.owner`)).toBe('1001');
  });

  it('writes no memory.swap.max where the kernel has none (swap accounting off)', () => {
    const { root, fs } = fakeHierarchy(roots);
    const cgroups = setUp(fs);
    const host = cgroups.forHost(4242, 1001);
    if (host === undefined) throw new Error('no host cgroup');
    const withoutSwap: CgroupFs = { ...fs, exists: (path) => !path.endsWith('memory.swap.max') && fs.exists(path) };
    const shell = ShellCgroups.setUp(withoutSwap, SELF, true, log);
    if (typeof shell === 'string') throw new Error(shell);
    const made = shell.forShell(host, 'B1', 1 << 30);
    expect(statSync(join(root, made?.path ?? '', 'memory.swap.max')).size).toBe(0);
  });

  it('kills what is left in a shell’s cgroup, then removes it; the host’s goes after the host', async () => {
    const { root, fs } = fakeHierarchy(roots);
    const cgroups = setUp(fs);
    const host = cgroups.forHost(4242, 1001);
    if (host === undefined) throw new Error('no host cgroup');
    const shell = cgroups.forShell(host, 'A1', 1 << 30);
    if (shell === undefined) throw new Error('no shell cgroup');
    writeFileSync(shell.procs, '5151\n');
    await cgroups.removeShell(shell);
    expect(existsSync(join(root, shell.path))).toBe(false);
    const other = cgroups.forShell(host, 'A2', 1 << 30);
    writeFileSync(join(root, host.path, 'host', 'cgroup.procs'), '');
    await cgroups.removeHost(host);
    expect(existsSync(join(root, host.path))).toBe(false);
    expect(existsSync(join(root, other?.path ?? 'missing'))).toBe(false);
  });

  it('falls back (undefined) when the host’s or a shell’s cgroup cannot be made, and leaves nothing behind', () => {
    const { root, fs } = fakeHierarchy(roots);
    const moveRefused = setUp(failing(fs, 'write', '/host/cgroup.procs', 'EACCES'));
    expect(moveRefused.forHost(4242, 1001)).toBeUndefined();
    const cgroups = setUp(fs);
    const host = cgroups.forHost(4242, 1001);
    if (host === undefined) throw new Error('no host cgroup');
    for (const [operation, part] of [
      ['mkdir', 'shell-'],
      ['write', 'memory.max'],
      ['chown', 'shell-'],
    ] as const) {
      const broken = setUp(failing(fs, operation, part, 'EACCES'));
      expect(broken.forShell(host, 'C1', 1 << 30)).toBeUndefined();
    }
    expect(fs.children(host.path)).toEqual(['host']);
    expect(fs.children('system.slice/winrmd-shells')).toEqual([host.path.split('/').at(-1)]);
    expect(existsSync(join(root, host.path, 'host'))).toBe(true);
  });
});
