/**
 * The per-shell memory cgroups against a temporary directory standing in for the cgroup2 mount
 * (fake-cgroup-fs.ts says what the stand-in does and does not check).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { findCgroup2Mount, type CgroupFs } from '../../../server/cgroup-fs.js';
import { fakeHierarchy, WINRMD_CGROUP } from './fake-cgroup-fs.js';
import { ownCgroupPath, ShellCgroups, type CgroupContext } from '../../../server/shell-cgroups.js';

const log = pino({ level: 'silent' });
const SELF = '12:memory:/system.slice/winrmd.service\n0::/system.slice/winrmd.service\n';
/** winrmd as root in a delegated /system.slice/winrmd.service. */
const DELEGATED: CgroupContext = { procSelfCgroup: SELF, isRoot: true, delegation: () => undefined };
const roots: string[] = [];

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function setUp(fs: CgroupFs): ShellCgroups {
  const cgroups = ShellCgroups.setUp(fs, DELEGATED, log);
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
  it('moves winrmd and the rest of its cgroup into a leaf, then enables memory there for the shells', () => {
    const { root, fs } = fakeHierarchy(roots, 'cpu io memory pids', ['100', '101']);
    expect(setUp(fs).path).toBe(`/${WINRMD_CGROUP}`);
    expect(read(root, `${WINRMD_CGROUP}/cgroup.procs`)).toBe('');
    expect(read(root, `${WINRMD_CGROUP}/winrmd/cgroup.procs`)).toBe('100\n101\n');
    expect(read(root, `${WINRMD_CGROUP}/cgroup.subtree_control`)).toBe('memory');
    // Nothing above winrmd's own cgroup is touched.
    expect(read(root, 'system.slice/cgroup.subtree_control')).toBe('cpu io memory pids');
    expect(fs.children('system.slice')).toEqual(['winrmd.service']);
  });

  it('works in a container’s own cgroup namespace, whose root is winrmd’s cgroup', () => {
    const { root, fs } = fakeHierarchy(roots);
    const container = ShellCgroups.setUp(fs, { procSelfCgroup: '0::/\n', isRoot: true, delegation: () => undefined }, log);
    if (typeof container === 'string') throw new Error(container);
    expect(container.path).toBe('/');
    expect(fs.children('')).toEqual(['system.slice', 'winrmd']);
    expect(container.forHost(4242, 1001)?.path).toMatch(/^host-\d+-\d+$/);
    expect(read(root, 'cgroup.subtree_control')).toContain('memory');
  });

  it('leaves subtree_control alone when memory is already enabled there', () => {
    const { root, fs } = fakeHierarchy(roots, 'cpu memory', []);
    fs.write(`${WINRMD_CGROUP}/cgroup.subtree_control`, '+cpu +memory');
    const written: string[] = [];
    setUp({
      ...fs,
      write: (path, text) => {
        written.push(path);
        fs.write(path, text);
      },
    });
    expect(written.filter((path) => path.endsWith('subtree_control'))).toEqual([]);
    expect(read(root, `${WINRMD_CGROUP}/cgroup.subtree_control`)).toBe('cpu memory');
  });

  it('touches nothing and says why when winrmd is not root, has no v2 line, or its cgroup is not delegated', () => {
    const { root, fs } = fakeHierarchy(roots);
    const notDelegated = (own: string): string => `${own} is not delegated`;
    expect(ShellCgroups.setUp(fs, { ...DELEGATED, isRoot: false }, log)).toBe('winrmd is not root');
    expect(ShellCgroups.setUp(fs, { ...DELEGATED, procSelfCgroup: '1:name=systemd:/x\n' }, log)).toBe('no cgroup v2 line in /proc/self/cgroup');
    expect(ShellCgroups.setUp(fs, { ...DELEGATED, delegation: notDelegated }, log)).toBe('/system.slice/winrmd.service is not delegated');
    expect(fs.children(WINRMD_CGROUP)).toEqual([]);
    expect(read(root, `${WINRMD_CGROUP}/cgroup.procs`)).toBe('100\n101\n');
  });

  it('says why not when winrmd’s cgroup is not offered the memory controller', () => {
    const { fs } = fakeHierarchy(roots, 'cpu pids');
    expect(ShellCgroups.setUp(fs, DELEGATED, log)).toMatch(/memory controller is not enabled for winrmd's cgroup \/system\.slice\/winrmd\.service/);
  });

  it('says why not when the kernel refuses a move, enabling memory or making the leaf', () => {
    const refusals = [
      ['write', 'winrmd/cgroup.procs', 'EACCES'],
      ['write', 'winrmd.service/cgroup.subtree_control', 'EBUSY'],
      ['mkdir', 'winrmd.service/winrmd', 'EROFS'],
    ] as const;
    for (const [operation, part, code] of refusals) {
      const { fs } = fakeHierarchy(roots);
      expect(ShellCgroups.setUp(failing(fs, operation, part, code), DELEGATED, log)).toMatch(new RegExp(`not usable in winrmd's cgroup .*${code}`));
    }
  });

  it('skips a process that exits while it is being moved', () => {
    const { fs } = fakeHierarchy(roots, 'memory', ['100', '101']);
    const exiting: CgroupFs = {
      ...fs,
      write: (path, text) => {
        if (text === '101') {
          fs.write(`${WINRMD_CGROUP}/cgroup.kill`, '1');
          throw Object.assign(new Error('ESRCH'), { code: 'ESRCH' });
        }
        fs.write(path, text);
      },
    };
    expect(typeof ShellCgroups.setUp(exiting, DELEGATED, log)).toBe('object');
  });

  it('removes the empty leftovers of a winrmd that is gone, keeps those with processes, those of a running winrmd and other cgroups', () => {
    const { root, fs } = fakeHierarchy(roots, 'memory', []);
    // Beyond any pid_max: a winrmd that no longer runs.
    const gone = 2 ** 30;
    fs.write(`${WINRMD_CGROUP}/cgroup.subtree_control`, '+memory');
    fs.mkdir(`${WINRMD_CGROUP}/host-${gone}-1/shell-2`);
    fs.mkdir(`${WINRMD_CGROUP}/host-${gone}-3/host`);
    fs.write(`${WINRMD_CGROUP}/host-${gone}-3/host/cgroup.procs`, '4242');
    fs.mkdir(`${WINRMD_CGROUP}/host-${process.pid}-1/shell-2`);
    fs.mkdir(`${WINRMD_CGROUP}/something-else`);
    setUp(fs);
    expect(existsSync(join(root, `${WINRMD_CGROUP}/host-${gone}-1`))).toBe(false);
    expect(existsSync(join(root, `${WINRMD_CGROUP}/host-${gone}-3/host`))).toBe(true);
    expect(existsSync(join(root, `${WINRMD_CGROUP}/host-${process.pid}-1/shell-2`))).toBe(true);
    expect(existsSync(join(root, `${WINRMD_CGROUP}/something-else`))).toBe(true);
  });
});

describe('ShellCgroups per host and shell', () => {
  it('moves the host into its leaf and gives the user only the common ancestor’s cgroup.procs', () => {
    const { root, fs } = fakeHierarchy(roots);
    const host = setUp(fs).forHost(4242, 1001);
    expect(host?.path).toMatch(/^system\.slice\/winrmd\.service\/host-\d+-\d+$/);
    const path = host?.path ?? '';
    expect(read(root, `${path}/host/cgroup.procs`)).toBe('4242\n');
    expect(read(root, `${path}/cgroup.subtree_control`)).toBe('memory');
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
    const shell = ShellCgroups.setUp(withoutSwap, DELEGATED, log);
    if (typeof shell === 'string') throw new Error(shell);
    const made = shell.forShell(host, 'B1', 1 << 30);
    expect(read(root, `${made?.path ?? ''}/memory.swap.max`)).toBe('max');
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
    expect(fs.children(WINRMD_CGROUP)).toEqual([host.path.split('/').at(-1), 'winrmd']);
    expect(existsSync(join(root, host.path, 'host'))).toBe(true);
  });
});
