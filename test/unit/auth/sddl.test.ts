import { describe, expect, it } from 'vitest';

import { effectiveRights, mayConnect, sidsOf, type Requester } from '../../../auth/access-check.js';
import { GENERIC_ALL, GENERIC_EXECUTE, GENERIC_READ, GENERIC_WRITE, SddlError, parseSddl } from '../../../auth/sddl.js';
import { CONFIG_KEYS } from '../../../config/keys.js';

const WINDOWS_OLD = 'O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)';
const DEFAULT = CONFIG_KEYS['Service.RootSDDL'].default;

const admin: Requester = { name: 'alice', groups: ['Administrators'] };
const remoteUser: Requester = { name: 'rita', groups: ['Remote Management Users'] };
const operator: Requester = { name: 'olga', groups: ['Operators'] };
const plain: Requester = { name: 'paul', groups: [] };

function admits(sddl: string, who: Requester): boolean {
  return mayConnect(parseSddl(sddl), who);
}

function parseError(sddl: string): string {
  try {
    parseSddl(sddl);
  } catch (error) {
    if (error instanceof SddlError) return error.message;
    throw error;
  }
  throw new Error(`${sddl} parsed`);
}

describe('parseSddl', () => {
  it("reads Windows' default: owner, group, the DACL's ACEs in order, the SACL checked and left out", () => {
    const sd = parseSddl(WINDOWS_OLD);
    expect(sd.owner).toEqual({ kind: 'sid', sid: 'S-1-5-20' });
    expect(sd.group).toEqual({ kind: 'sid', sid: 'S-1-5-32-544' });
    expect(sd.dacl).toEqual([
      { type: 'allow', inheritOnly: false, mask: GENERIC_ALL, trustee: { kind: 'sid', sid: 'S-1-5-32-544' } },
      { type: 'allow', inheritOnly: false, mask: GENERIC_READ, trustee: { kind: 'sid', sid: 'S-1-5-4' } },
    ]);
  });

  it('reads SID strings, hexadecimal masks, several rights, flags, and winrmd names', () => {
    const sd = parseSddl('D:(D;CIIO;GXGW;;;S-1-5-32-580)(A;;0x20000000;;;s-1-5-11)(A;;GA;;;Operators)(A;;GR;;;Remote Management Users)');
    expect(sd.owner).toBeUndefined();
    expect(sd.dacl).toEqual([
      { type: 'deny', inheritOnly: true, mask: (GENERIC_EXECUTE | GENERIC_WRITE) >>> 0, trustee: { kind: 'sid', sid: 'S-1-5-32-580' } },
      { type: 'allow', inheritOnly: false, mask: GENERIC_EXECUTE, trustee: { kind: 'sid', sid: 'S-1-5-11' } },
      { type: 'allow', inheritOnly: false, mask: GENERIC_ALL, trustee: { kind: 'name', name: 'Operators' } },
      { type: 'allow', inheritOnly: false, mask: GENERIC_READ, trustee: { kind: 'name', name: 'Remote Management Users' } },
    ]);
  });

  it('takes the parts in any order and an empty DACL', () => {
    expect(parseSddl('S:P(AU;FA;GA;;;WD)D:P').dacl).toEqual([]);
  });

  it('refuses what it cannot read, saying what and where', () => {
    expect(parseError('')).toBe('it is empty');
    expect(parseError('garbage')).toMatch(/expected O:, G:, D: or S: at 'garbage'/);
    expect(parseError('O:BA')).toMatch(/no DACL \(D:\)/);
    expect(parseError('D:NO_ACCESS_CONTROL')).toMatch(/every user in/);
    expect(parseError('D:(A;;GA;;;BA')).toMatch(/unbalanced/);
    expect(parseError('D:(A;;GA;;BA)')).toMatch(/needs 6 fields/);
    expect(parseError('D:(X;;GA;;;BA)')).toMatch(/must be A \(allow\) or D \(deny\)/);
    expect(parseError('D:(OA;;GA;;;BA)')).toMatch(/'OA' is not supported/);
    expect(parseError('D:(A;;ZZ;;;BA)')).toMatch(/unknown right 'ZZ'/);
    expect(parseError('D:(A;;;;;BA)')).toMatch(/no rights/);
    expect(parseError('D:(A;QQ;GA;;;BA)')).toMatch(/unknown flag 'QQ'/);
    expect(parseError('D:(A;;GA;;;DA)')).toMatch(/'DA' is not a SID alias winrmd knows/);
    expect(parseError('D:(A;;GA;;;)')).toMatch(/neither a SID/);
    expect(parseError('D:(A;;GA;;;BA)D:(A;;GA;;;WD)')).toMatch(/D: appears twice/);
    expect(parseError('D:(A;;GA;;;BA)junk')).toMatch(/expected \(ACE\) at 'junk'/);
    expect(parseError('D:XY(A;;GA;;;BA)')).toMatch(/unknown flags 'XY'/);
    expect(parseError('D:(A;;GA;;;BA)S:(A;;GA;;;WD)')).toMatch(/'A' is not a SACL ACE type/);
  });
});

describe('the access decision', () => {
  it("admits Administrators and Remote Management Users under winrmd's default, and no one else", () => {
    expect(DEFAULT).toContain('(A;;GA;;;RM)');
    expect([admin, remoteUser, operator, plain].map((who) => admits(DEFAULT, who))).toEqual([true, true, false, false]);
  });

  it("gives Interactive Users' read right to no WinRM logon", () => {
    expect(admits(WINDOWS_OLD, remoteUser)).toBe(false);
    expect(effectiveRights(parseSddl(WINDOWS_OLD), plain)).toBe(0);
  });

  it('maps winrmd groups, with Linux groups already folded in, to the well-known SIDs', () => {
    expect([...sidsOf(admin)].sort()).toEqual(['S-1-1-0', 'S-1-5-11', 'S-1-5-2', 'S-1-5-32-544', 'S-1-5-32-545'].sort());
    expect(sidsOf({ name: 'x', groups: ['remote MANAGEMENT users'] }).has('S-1-5-32-580')).toBe(true);
    expect(admits('D:(A;;GA;;;S-1-5-32-580)', remoteUser)).toBe(true);
  });

  it('admits a group or user named in the DACL, without case', () => {
    expect(admits('D:(A;;GA;;;BA)(A;;GX;;;operators)', operator)).toBe(true);
    expect(admits('D:(A;;GX;;;Paul)', plain)).toBe(true);
    expect(admits('D:(A;;GX;;;Paul)', operator)).toBe(false);
  });

  it('applies deny ACEs before allow ACEs, whatever their order', () => {
    expect(admits('D:(A;;GA;;;BA)(D;;GA;;;alice)', admin)).toBe(false);
    expect(admits('D:(D;;GX;;;BA)(A;;GA;;;BA)', admin)).toBe(false);
    expect(admits('D:(A;;GA;;;WD)(D;;GA;;;BA)', remoteUser)).toBe(true);
  });

  it('needs Execute: GA or GX, not read or write alone, and GA only while nothing of it is denied', () => {
    expect(admits('D:(A;;GR;;;WD)', plain)).toBe(false);
    expect(admits('D:(A;;GWGR;;;WD)', plain)).toBe(false);
    expect(admits('D:(A;;GX;;;AU)', plain)).toBe(true);
    const rights = effectiveRights(parseSddl('D:(A;;GA;;;WD)(D;;GW;;;WD)'), plain);
    expect(rights).toBe((GENERIC_READ | GENERIC_EXECUTE) >>> 0);
    expect(effectiveRights(parseSddl('D:(A;;GA;;;WD)'), plain)).toBe((GENERIC_ALL | GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE) >>> 0);
  });

  it('ignores inherit-only ACEs, which are for children', () => {
    expect(admits('D:(A;OICIIO;GA;;;WD)', plain)).toBe(false);
  });

  it('admits no one with an empty DACL', () => {
    expect(admits('D:P', admin)).toBe(false);
  });
});
