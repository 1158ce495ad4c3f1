/**
 * Reading what `getent passwd`, `getent group` and `id -G` print. Pure functions, so the parsing is
 * tested without touching the system's accounts.
 */

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly shell: string;
}

export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
}

/** A uid or gid: decimal digits within 32 bits unsigned (-1, 4294967295, means "none"). */
function parseId(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return undefined;
  const value = Number(text);
  return value < 0xffff_ffff ? value : undefined;
}

/** `name:password:uid:gid:gecos:home:shell`; undefined for a line that is not one. */
export function parsePasswdLine(line: string): PasswdEntry | undefined {
  const fields = line.replace(/\r?\n$/, '').split(':');
  if (fields.length !== 7) return undefined;
  const [name, , uidText, gidText, , home, shell] = fields;
  const uid = parseId(uidText);
  const gid = parseId(gidText);
  if (name === undefined || name === '' || uid === undefined || gid === undefined || home === undefined) return undefined;
  return { name, uid, gid, home, shell: shell === undefined || shell === '' ? '/bin/sh' : shell };
}

/** `name:password:gid:member,member`; undefined for a line that is not one. */
export function parseGroupLine(line: string): GroupEntry | undefined {
  const fields = line.replace(/\r?\n$/, '').split(':');
  if (fields.length !== 4) return undefined;
  const [name, , gidText] = fields;
  const gid = parseId(gidText);
  if (name === undefined || name === '' || gid === undefined) return undefined;
  return { name, gid };
}

/** `id -G`: group ids separated by spaces, in the order initgroups gives them; undefined when malformed. */
export function parseIdGroups(output: string): number[] | undefined {
  const words = output.trim().split(/\s+/).filter((word) => word !== '');
  const ids = words.map(parseId);
  if (ids.length === 0 || ids.some((id) => id === undefined)) return undefined;
  return [...new Set(ids.filter((id): id is number => id !== undefined))];
}

/**
 * The first entry getent printed. getent prints the one entry NSS found for the key; its name may
 * differ in case from the key when a module compares names without case (winbind, SSSD).
 */
export function firstEntry<T>(output: string, parse: (line: string) => T | undefined): T | undefined {
  for (const line of output.split('\n')) {
    const entry = parse(line);
    if (entry !== undefined) return entry;
  }
  return undefined;
}
