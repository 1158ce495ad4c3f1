import { describe, expect, it } from 'vitest';
import { programName, splitWindowsCommandLine } from '../../../../shell/command-mapping/windows-argv.js';

const words = (line: string): string[] => splitWindowsCommandLine(line).map((w) => w.value);

describe('splitWindowsCommandLine (the C runtime rules)', () => {
  it.each([
    ['powershell -encodedcommand AAAA', ['powershell', '-encodedcommand', 'AAAA']],
    ['  a \t b  ', ['a', 'b']],
    ['"C:\\Program Files\\x.exe" arg', ['C:\\Program Files\\x.exe', 'arg']],
    ['a"b c"d', ['ab cd']],
    ['"a""b"', ['a"b']],
    ['a\\\\"b c"', ['a\\b c']],
    ['a\\"b', ['a"b']],
    ['a\\b\\\\c', ['a\\b\\\\c']],
    ['""', ['']],
    ['', []],
  ])('%s', (line, expected) => {
    expect(words(line)).toEqual(expected);
  });

  it('tells where each word starts and ends, so the raw rest can be taken', () => {
    const line = 'cmd /c  "echo hi"';
    const [, slashC, rest] = splitWindowsCommandLine(line);
    expect(slashC).toEqual({ value: '/c', start: 4, end: 6 });
    expect(line.slice(rest?.start, rest?.end)).toBe('"echo hi"');
  });
});

describe('programName', () => {
  it.each([
    ['PowerShell.exe', 'powershell.exe'],
    ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell.exe'],
    ['/usr/bin/pwsh', 'pwsh'],
    ['CMD', 'cmd'],
  ])('%s is %s', (word, name) => {
    expect(programName(word)).toBe(name);
  });
});
