/**
 * Security Descriptor Definition Language, as far as Service.RootSDDL needs it: the owner, group,
 * DACL and SACL parts of a string like Windows' default
 * `O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)(A;;GA;;;RM)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)`.
 * Only the DACL's allow and deny ACEs take part in decisions (access-check.ts); the rest is checked
 * for syntax and kept so that a string Windows accepts is accepted here too.
 *
 * Trustees are SID strings (S-1-5-32-544), the two-letter aliases of well-known SIDs (BA, RM, ...),
 * or, as winrmd's own extension, the name of a winrmd group or user (any trustee of three or more
 * characters that is not a SID string), since winrmd's groups have no SIDs.
 */

export class SddlError extends Error {
  override readonly name = 'SddlError';
}

export type AceType = 'allow' | 'deny';

export interface Ace {
  readonly type: AceType;
  /** INHERIT_ONLY (IO): the ACE is for children only and does not apply to the object itself. */
  readonly inheritOnly: boolean;
  /** Access mask; generic rights (GA, GR, GW, GX) as their bits. */
  readonly mask: number;
  readonly trustee: Trustee;
}

export type Trustee = { readonly kind: 'sid'; readonly sid: string } | { readonly kind: 'name'; readonly name: string };

export interface SecurityDescriptor {
  readonly owner: Trustee | undefined;
  readonly group: Trustee | undefined;
  /** The DACL's ACEs in order. */
  readonly dacl: readonly Ace[];
}

export const GENERIC_ALL = 0x10000000;
export const GENERIC_EXECUTE = 0x20000000;
export const GENERIC_WRITE = 0x40000000;
export const GENERIC_READ = 0x80000000;

/** The well-known SIDs whose aliases Windows' SDDL knows and a local machine can hold. */
export const WELL_KNOWN_ALIASES: Readonly<Record<string, string>> = {
  WD: 'S-1-1-0', // Everyone
  NU: 'S-1-5-2', // NETWORK
  IU: 'S-1-5-4', // INTERACTIVE
  AN: 'S-1-5-7', // ANONYMOUS LOGON
  AU: 'S-1-5-11', // Authenticated Users
  SY: 'S-1-5-18', // Local System
  LS: 'S-1-5-19', // Local Service
  NS: 'S-1-5-20', // Network Service
  BA: 'S-1-5-32-544', // Administrators
  BU: 'S-1-5-32-545', // Users
  BG: 'S-1-5-32-546', // Guests
  RD: 'S-1-5-32-555', // Remote Desktop Users
  RM: 'S-1-5-32-580', // Remote Management Users
  CO: 'S-1-3-0', // Creator Owner
  CG: 'S-1-3-1', // Creator Group
  OW: 'S-1-3-4', // Owner Rights
};

/** Access right codes: the generic ones decide; the others are valid and carry their bits. */
const RIGHTS: Readonly<Record<string, number>> = {
  GA: GENERIC_ALL,
  GX: GENERIC_EXECUTE,
  GW: GENERIC_WRITE,
  GR: GENERIC_READ,
  RC: 0x00020000,
  SD: 0x00010000,
  WD: 0x00040000,
  WO: 0x00080000,
  RP: 0x00000010,
  WP: 0x00000020,
  CC: 0x00000001,
  DC: 0x00000002,
  LC: 0x00000004,
  SW: 0x00000008,
  LO: 0x00000080,
  DT: 0x00000040,
  CR: 0x00000100,
  FA: 0x001f01ff,
  FR: 0x00120089,
  FW: 0x00120116,
  FX: 0x001200a0,
  KA: 0x000f003f,
  KR: 0x00020019,
  KW: 0x00020006,
  KX: 0x00020019,
};

const ACE_FLAGS = new Set(['CI', 'OI', 'NP', 'IO', 'ID', 'SA', 'FA', 'TP', 'CR']);
const DACL_TYPES: Readonly<Record<string, AceType>> = { A: 'allow', D: 'deny' };
const SACL_TYPES = new Set(['AU', 'AL', 'ML', 'SP', 'RA', 'OU', 'OL']);
const ACL_FLAGS = /^(?:P|AI|AR|NO_ACCESS_CONTROL)*$/;

/** Parses `text`; throws SddlError saying what is wrong and where. */
export function parseSddl(text: string): SecurityDescriptor {
  const parts = splitParts(text.trim());
  const owner = parts.get('O');
  const group = parts.get('G');
  const dacl = parts.get('D');
  const sacl = parts.get('S');
  if (dacl === undefined) {
    // Windows reads a missing DACL as "everyone may do anything": never what a WinRM endpoint wants.
    throw new SddlError('no DACL (D:): it would let every user in; write D:(A;;GA;;;WD) if that is meant');
  }
  if (sacl !== undefined) parseAcl(sacl, 'S');
  return {
    owner: owner === undefined ? undefined : parseTrustee(owner, 'owner (O:)'),
    group: group === undefined ? undefined : parseTrustee(group, 'group (G:)'),
    dacl: parseAcl(dacl, 'D'),
  };
}

/** O:, G:, D: and S: with their text; each at most once, in any order, nothing else. */
function splitParts(text: string): Map<string, string> {
  const parts = new Map<string, string>();
  let position = 0;
  while (position < text.length) {
    const match = /^([OGDS]):/.exec(text.slice(position));
    if (match?.[1] === undefined) throw new SddlError(`expected O:, G:, D: or S: at '${excerpt(text, position)}'`);
    const key = match[1];
    if (parts.has(key)) throw new SddlError(`${key}: appears twice`);
    const start = position + 2;
    const end = endOfPart(text, start);
    parts.set(key, text.slice(start, end));
    position = end;
  }
  if (parts.size === 0) throw new SddlError('it is empty');
  return parts;
}

/** Where the part starting at `start` ends: at the next O:/G:/D:/S: outside parentheses. */
function endOfPart(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i += 1) {
    const c = text[i];
    if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (depth === 0 && /[OGDS]/.test(c ?? '') && text[i + 1] === ':') return i;
    if (depth < 0) throw new SddlError(`unbalanced ')' at '${excerpt(text, i)}'`);
  }
  if (depth !== 0) throw new SddlError('unbalanced parentheses');
  return text.length;
}

function parseAcl(text: string, part: 'D' | 'S'): Ace[] {
  const open = text.indexOf('(');
  const flags = open < 0 ? text : text.slice(0, open);
  if (!ACL_FLAGS.test(flags)) throw new SddlError(`${part}: has unknown flags '${flags}'`);
  if (part === 'D' && flags.includes('NO_ACCESS_CONTROL')) {
    throw new SddlError('D:NO_ACCESS_CONTROL would let every user in; write D:(A;;GA;;;WD) if that is meant');
  }
  const aces: Ace[] = [];
  if (open < 0) return aces;
  const body = text.slice(open);
  const pattern = /\(([^()]*)\)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(body)) !== null) {
    consumed = pattern.lastIndex;
    const ace = parseAce(match[1] ?? '', part);
    if (ace !== undefined) aces.push(ace);
  }
  if (consumed !== body.length) throw new SddlError(`${part}: expected (ACE) at '${excerpt(body, consumed)}'`);
  return aces;
}

/** `type;flags;rights;object guid;inherited object guid;trustee`; undefined for a SACL's ACE. */
function parseAce(text: string, part: 'D' | 'S'): Ace | undefined {
  const fields = text.split(';');
  if (fields.length !== 6 && fields.length !== 7) throw new SddlError(`ACE (${text}) needs 6 fields separated by ';', has ${fields.length}`);
  const [typeText = '', flagText = '', rightsText = '', objectGuid = '', inheritedGuid = '', trusteeText = ''] = fields;
  const where = `ACE (${text})`;
  const type = DACL_TYPES[typeText];
  if (part === 'D' && type === undefined) {
    throw new SddlError(`${where}: a DACL ACE must be A (allow) or D (deny); '${typeText}' is not supported`);
  }
  if (part === 'S' && !SACL_TYPES.has(typeText)) throw new SddlError(`${where}: '${typeText}' is not a SACL ACE type`);
  const flags = twoLetterCodes(flagText, `${where}: flags`);
  for (const flag of flags) if (!ACE_FLAGS.has(flag)) throw new SddlError(`${where}: unknown flag '${flag}'`);
  const mask = parseRights(rightsText, where);
  if (objectGuid !== '' || inheritedGuid !== '') throw new SddlError(`${where}: object ACEs (with GUIDs) are not supported`);
  const trustee = parseTrustee(trusteeText, where);
  if (type === undefined) return undefined;
  return { type, inheritOnly: flags.includes('IO'), mask, trustee };
}

function parseRights(text: string, where: string): number {
  if (/^0x[0-9a-f]{1,8}$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^\d{1,10}$/.test(text) && Number(text) <= 0xffffffff) return Number(text);
  let mask = 0;
  for (const code of twoLetterCodes(text, `${where}: rights`)) {
    const bits = RIGHTS[code];
    if (bits === undefined) throw new SddlError(`${where}: unknown right '${code}'`);
    mask = (mask | bits) >>> 0;
  }
  if (mask === 0) throw new SddlError(`${where}: no rights`);
  return mask;
}

function twoLetterCodes(text: string, what: string): string[] {
  if (text.length % 2 !== 0 || !/^[A-Z]*$/.test(text)) throw new SddlError(`${what} '${text}' is not a series of two-letter codes`);
  return text.match(/../g) ?? [];
}

function parseTrustee(text: string, where: string): Trustee {
  const trimmed = text.trim();
  if (/^S-1-\d+(?:-\d+)*$/i.test(trimmed)) return { kind: 'sid', sid: trimmed.toUpperCase() };
  if (/^[A-Z]{2}$/.test(trimmed)) {
    const sid = WELL_KNOWN_ALIASES[trimmed];
    if (sid === undefined) throw new SddlError(`${where}: '${trimmed}' is not a SID alias winrmd knows (it has local accounts only)`);
    return { kind: 'sid', sid };
  }
  if (trimmed.length >= 3 && !/^S-/i.test(trimmed)) return { kind: 'name', name: trimmed };
  throw new SddlError(`${where}: '${trimmed}' is neither a SID, a SID alias, nor a winrmd group or user name`);
}

function excerpt(text: string, position: number): string {
  const rest = text.slice(position, position + 20);
  return position + 20 < text.length ? `${rest}...` : rest;
}
