import { describe, expect, it } from 'vitest';
import { decodeEncodedCommand, encodeCommand, translatePowerShellArgs } from '../../../../shell/command-mapping/powershell-args.js';

const SCRIPT = "Write-Output 'héllo ✓'\r\n$x = 1";
const B64 = encodeCommand(SCRIPT);

describe('translatePowerShellArgs', () => {
  it.each([
    ['-encodedcommand', ['-encodedcommand', B64]],
    ['-EncodedCommand', ['-EncodedCommand', B64]],
    ['-enc', ['-enc', B64]],
    ['-e', ['-e', B64]],
    ['-ec', ['-ec', B64]],
    ['-ENC', ['-ENC', B64]],
    ['/EncodedCommand', ['/EncodedCommand', B64]],
  ])('reads %s as -EncodedCommand and decodes its script', (_label, words) => {
    expect(translatePowerShellArgs(words)).toEqual({ args: ['-EncodedCommand', B64], script: SCRIPT });
  });

  it("keeps Ansible's switches, in canonical names and in order", () => {
    const words = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Unrestricted', '-EncodedCommand', B64];
    expect(translatePowerShellArgs(words).args).toEqual(words);
    expect(translatePowerShellArgs(['-nop', '-noni', '-ep', 'bypass', '-e', B64]).args).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'bypass',
      '-EncodedCommand',
      B64,
    ]);
  });

  it('drops the switches pwsh on Linux refuses or has no use for', () => {
    const words = ['-WindowStyle', 'Hidden', '-Sta', '-Version', '2.0', '-NoLogo', '-enc', B64];
    expect(translatePowerShellArgs(words).args).toEqual(['-NoLogo', '-EncodedCommand', B64]);
  });

  it('passes -Command, -File and bare command text through with everything after them', () => {
    expect(translatePowerShellArgs(['-Command', 'Get-Date;', '-x']).args).toEqual(['-Command', 'Get-Date;', '-x']);
    expect(translatePowerShellArgs(['-File', 'a.ps1', '-Name', 'b']).args).toEqual(['-File', 'a.ps1', '-Name', 'b']);
    expect(translatePowerShellArgs(['-NoProfile', 'Get-Date', '-Format', 'o']).args).toEqual(['-NoProfile', '-Command', 'Get-Date', '-Format', 'o']);
    expect(translatePowerShellArgs(['-']).args).toEqual(['-Command', '-']);
  });

  it('lets an unknown switch through for pwsh to refuse, and decodes no script', () => {
    expect(translatePowerShellArgs(['-Bogus', '-c', '1'])).toEqual({ args: ['-Bogus', '-Command', '1'], script: undefined });
  });
});

describe('decodeEncodedCommand', () => {
  it('is the inverse of pywinrm-style encoding', () => {
    expect(decodeEncodedCommand(B64)).toBe(SCRIPT);
  });

  it.each([['not base64!'], ['QQ=='], ['QUJD'], [undefined]])('gives nothing for %s', (value) => {
    // 'QQ==' is one byte and 'QUJD' three: no UTF-16LE text is an odd number of bytes.
    expect(decodeEncodedCommand(value)).toBeUndefined();
  });
});
