import { describe, expect, it } from 'vitest';
import { GssFlags, buildGssChecksum, parseGssChecksum } from '../../../../auth/kerberos/authenticator-checksum.js';
import { KerberosMessageError } from '../../../../auth/kerberos/errors.js';

const BND = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

describe('0x8003 authenticator checksum [RFC 4121 §4.1.1]', () => {
  it('parses Lgth(LE 16) ‖ Bnd ‖ Flags(LE) as pywinrm sends it (MUTUAL | SEQUENCE)', () => {
    const bytes = Buffer.from(`10000000${BND.toString('hex')}0a000000`, 'hex');
    expect(parseGssChecksum(bytes)).toEqual({ bindings: BND, flags: GssFlags.mutual | GssFlags.sequence, delegation: undefined, extensions: undefined });
    expect(buildGssChecksum({ bindings: BND, flags: 0x0a })).toEqual(bytes);
  });

  it('reads the delegation (DlgOpt 1, Dlgth LE) and the extensions after it', () => {
    const krbCred = Buffer.from('7603010203', 'hex');
    const bytes = Buffer.from(`10000000${BND.toString('hex')}3f00000001000500${krbCred.toString('hex')}cafe`, 'hex');
    const parsed = parseGssChecksum(bytes);
    expect(parsed.flags).toBe(0x3f);
    expect(parsed.delegation).toEqual(krbCred);
    expect(parsed.extensions).toEqual(Buffer.from('cafe', 'hex'));
    expect(buildGssChecksum(parsed)).toEqual(bytes);
  });

  it('clears DELEG when no credentials follow (nothing was delegated)', () => {
    const parsed = parseGssChecksum(buildGssChecksum({ bindings: BND, flags: GssFlags.deleg | GssFlags.mutual }));
    expect(parsed.flags).toBe(GssFlags.mutual);
    expect(parsed.delegation).toBeUndefined();
  });

  it('keeps bytes after Flags as extensions when DELEG is clear', () => {
    const parsed = parseGssChecksum(Buffer.concat([buildGssChecksum({ bindings: BND, flags: GssFlags.mutual }), Buffer.from('0100ffff', 'hex')]));
    expect(parsed.delegation).toBeUndefined();
    expect(parsed.extensions).toEqual(Buffer.from('0100ffff', 'hex'));
  });

  const bad: readonly (readonly [string, Buffer])[] = [
    ['too short', Buffer.alloc(23)],
    ['Lgth not 16', Buffer.concat([Buffer.from('0f000000', 'hex'), Buffer.alloc(20)])],
    ['DlgOpt 2', Buffer.from(`10000000${BND.toString('hex')}0100000002000000`, 'hex')],
    ['truncated delegation header', Buffer.from(`10000000${BND.toString('hex')}010000000100`, 'hex')],
    ['Dlgth past the end', Buffer.from(`10000000${BND.toString('hex')}0100000001000900aabb`, 'hex')],
  ];

  it.each(bad)('rejects %s', (_name, bytes) => {
    expect(() => parseGssChecksum(bytes)).toThrow(KerberosMessageError);
  });
});
