/**
 * Whether a winrmd user may use WinRM under a RootSDDL (sddl.ts), decided from its DACL.
 *
 * A user holds the SIDs a network logon on a Windows host holds: Everyone (WD), NETWORK (NU),
 * Authenticated Users (AU) and Users (BU) always; Administrators (BA) and Remote Management Users
 * (RM, S-1-5-32-580) when a member (from the user store, or the Linux groups named by
 * Service.AdministratorsGroup / Service.RemoteManagementUsersGroup); never INTERACTIVE (IU), since
 * no WinRM logon is interactive. A trustee written as a name matches a winrmd group of that name or
 * the user's own name, without case.
 *
 * The rights are Windows' generic ones as WinRM's permission dialog shows them: Read (GR: Get,
 * Enumerate), Write (GW: Put, Create, Delete), Execute (GX: Invoke, shells), Full Control (GA, all
 * three). winrmd has no read-only mode: a user gets in with Execute (GX or GA) after the deny ACEs
 * are applied. Deny ACEs are applied before allow ACEs whatever their order, which is how Windows
 * evaluates the canonical ACLs its tools write (for a non-canonical ACL this is the stricter reading).
 */
import { GENERIC_ALL, GENERIC_EXECUTE, GENERIC_READ, GENERIC_WRITE, WELL_KNOWN_ALIASES, type SecurityDescriptor, type Trustee } from './sddl.js';

export interface Requester {
  readonly name: string;
  /** winrmd group names, as authorization sees them (store and Linux groups). */
  readonly groups: readonly string[];
}

const ALWAYS_HELD = ['WD', 'NU', 'AU', 'BU'];
/** winrmd group names that stand for a well-known SID. */
const GROUP_SIDS: Readonly<Record<string, string>> = {
  administrators: 'BA',
  'remote management users': 'RM',
  users: 'BU',
};

const SPECIFIC_GENERIC = (GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE) >>> 0;

/** The well-known SIDs (S-1-...) the requester holds. */
export function sidsOf(requester: Requester): Set<string> {
  const aliases = new Set(ALWAYS_HELD);
  for (const group of requester.groups) {
    const alias = GROUP_SIDS[group.toLowerCase()];
    if (alias !== undefined) aliases.add(alias);
  }
  return new Set([...aliases].map((alias) => WELL_KNOWN_ALIASES[alias] ?? alias));
}

/** The generic rights (GR, GW, GX bits; GA when all three) the DACL leaves the requester. */
export function effectiveRights(descriptor: SecurityDescriptor, requester: Requester): number {
  const sids = sidsOf(requester);
  const names = new Set([requester.name, ...requester.groups].map((n) => n.toLowerCase()));
  const applies = (trustee: Trustee): boolean => (trustee.kind === 'sid' ? sids.has(trustee.sid) : names.has(trustee.name.toLowerCase()));
  let allowed = 0;
  let denied = 0;
  for (const ace of descriptor.dacl) {
    if (ace.inheritOnly || !applies(ace.trustee)) continue;
    if (ace.type === 'deny') denied |= expand(ace.mask);
    else allowed |= expand(ace.mask);
  }
  // >>> 0: JavaScript's bitwise operators give signed 32-bit results, GENERIC_READ is the sign bit.
  const rights = (allowed & ~denied & SPECIFIC_GENERIC) >>> 0;
  return rights === SPECIFIC_GENERIC ? (rights | GENERIC_ALL) >>> 0 : rights;
}

/** Whether the requester may use WinRM: Execute survives the deny ACEs. */
export function mayConnect(descriptor: SecurityDescriptor, requester: Requester): boolean {
  return (effectiveRights(descriptor, requester) & GENERIC_EXECUTE) !== 0;
}

/** GA is the three specific generic rights together. */
function expand(mask: number): number {
  return (mask & GENERIC_ALL) !== 0 ? mask | SPECIFIC_GENERIC : mask;
}
