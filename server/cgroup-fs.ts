/**
 * The few file operations winrmd performs on a cgroup v2 hierarchy, over a root directory (the
 * cgroup2 mount), so that tests can stand a temporary directory in for /sys/fs/cgroup. Paths are
 * relative to the root and use '/'; every operation throws the system error (EACCES, EBUSY, ...).
 */
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CgroupFs {
  /** The path as a process outside winrmd (the shell host) opens it. */
  absolute(path: string): string;
  exists(path: string): boolean;
  read(path: string): string;
  /** One write(2) of the whole text, as the kernel parses each write of a control file. */
  write(path: string, text: string): void;
  /** Creates the cgroup; an existing one is kept. */
  mkdir(path: string): void;
  rmdir(path: string): void;
  /** The child cgroups (directories) of a cgroup. */
  children(path: string): string[];
  /** Gives a control file to a user (the group stays), which is how cgroup v2 delegates a write. */
  chown(path: string, uid: number): void;
}

export function nodeCgroupFs(root: string): CgroupFs {
  const at = (path: string): string => join(root, path);
  return {
    absolute: at,
    exists: (path) => existsSync(at(path)),
    read: (path) => readFileSync(at(path), 'utf8'),
    write: (path, text) => {
      writeFileSync(at(path), text);
    },
    mkdir: (path) => {
      mkdirSync(at(path), { recursive: true });
    },
    rmdir: (path) => {
      rmdirSync(at(path));
    },
    children: (path) =>
      readdirSync(at(path), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name),
    chown: (path, uid) => {
      // -1 keeps the group.
      chownSync(at(path), uid, -1);
    },
  };
}

/**
 * Where the cgroup v2 hierarchy is mounted: /sys/fs/cgroup on a unified layout, its unified/ on a
 * hybrid one (cgroup v1 controllers beside a v2 tree); undefined on a v1-only machine.
 */
export function findCgroup2Mount(root = '/sys/fs/cgroup'): string | undefined {
  return [root, `${root}/unified`].find((dir) => existsSync(join(dir, 'cgroup.controllers')));
}
