import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../config/index.js';
import { encodeCommand } from '../../../../shell/command-mapping/powershell-args.js';
import { mapCommandLine, parseRuleNames, RULE_NAMES, type Mapping } from '../../../../shell/command-mapping/rules.js';

const ALL = RULE_NAMES;
const SCRIPT = 'Get-ChildItem env: | Select-Object -First 1';
const B64 = encodeCommand(SCRIPT);
const map = (line: string, viaInterpreter = true): Mapping | undefined => mapCommandLine(line, ALL, viaInterpreter);

describe('the powershell rule', () => {
  it.each([
    ["pywinrm's run_ps", `powershell -encodedcommand ${B64}`, 'powershell', ['-EncodedCommand', B64]],
    ['masterzen/winrm', `powershell.exe -EncodedCommand ${B64}`, 'powershell.exe', ['-EncodedCommand', B64]],
    [
      'Ansible',
      `PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand ${B64}`,
      'PowerShell',
      ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Unrestricted', '-EncodedCommand', B64],
    ],
    ['a full path', `C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -enc ${B64}`, 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', ['-EncodedCommand', B64]],
    ['pwsh.exe', `pwsh.exe -e ${B64}`, 'pwsh.exe', ['-EncodedCommand', B64]],
  ])('maps %s to pwsh with the script', (_label, line, program, args) => {
    expect(map(line)).toEqual({ command: { kind: 'powershell', program, args, script: SCRIPT }, rules: ['powershell'] });
  });

  it('applies with WINRS_SKIP_CMD_SHELL too, since it names a program', () => {
    expect(map(`powershell -enc ${B64}`, false)?.command.kind).toBe('powershell');
  });

  it('leaves other programs alone', () => {
    expect(map('powershellx -enc AAAA')).toBeUndefined();
    expect(map('echo powershell -enc AAAA')).toBeUndefined();
  });
});

describe('the cmd rule', () => {
  it.each([
    ['cmd /c echo hi', 'echo hi'],
    ['cmd.exe /C echo hi', 'echo hi'],
    ['CMD.EXE /d /q /c echo hi', 'echo hi'],
    ['cmd /s /c "echo hi"', 'echo hi'],
    ['cmd /c "echo hi" > out.txt', 'echo hi > out.txt'],
    ['cmd /k ls', 'ls'],
    ['cmd /cecho glued', 'echo glued'],
  ])('runs %s as %s through the interpreter', (line, inner) => {
    expect(map(line)).toEqual({ command: { kind: 'interpreter', commandLine: inner, exitCodes: undefined }, rules: ['cmd'] });
  });

  it('maps the inner line through the table again', () => {
    expect(map(`cmd.exe /c powershell -enc ${B64}`)).toMatchObject({ command: { kind: 'powershell', script: SCRIPT }, rules: ['cmd', 'powershell'] });
    expect(map('cmd /c exit /b 3')).toEqual({
      command: { kind: 'interpreter', commandLine: 'exit 3', exitCodes: undefined },
      rules: ['cmd', 'exit'],
    });
    // With WINRS_SKIP_CMD_SHELL, cmd.exe itself still runs its /c line through itself.
    expect(map('cmd /c exit /b 3', false)?.rules).toEqual(['cmd', 'exit']);
  });

  it('leaves an interactive cmd, or an unknown option, alone', () => {
    expect(map('cmd')).toBeUndefined();
    expect(map('cmd /x:bad echo')).toBeUndefined();
    expect(map('cmd echo hi')).toBeUndefined();
  });
});

describe('the exit rule', () => {
  it.each([
    ['exit /b 3', 'exit 3', undefined],
    ['EXIT /B 0', 'exit 0', undefined],
    ['exit /b', 'exit 0', undefined],
    ['exit /b 9009', 'exit 49', new Map([[49, 9009]])],
    ['exit /b -1', 'exit 255', new Map([[255, -1]])],
    ['exit 300', 'exit 44', new Map([[44, 300]])],
  ])('%s runs as %s', (line, commandLine, exitCodes) => {
    expect(map(line)?.command).toEqual({ kind: 'interpreter', commandLine, exitCodes });
  });

  it('needs the interpreter, and the whole line', () => {
    expect(map('exit /b 3', false)).toBeUndefined();
    expect(map('echo x & exit /b 3')).toBeUndefined();
    expect(map('exit /b 99999999999')).toBeUndefined();
  });
});

describe('the errorlevel and chain rules (lines cmd runs)', () => {
  const interpreter = (commandLine: string, exitCodes?: ReadonlyMap<number, number>): Mapping['command'] => ({ kind: 'interpreter', commandLine, exitCodes });

  it.each([
    ['cmd /c "dir & echo done"', 'dir ; echo done', ['cmd', 'chain']],
    ['cmd /c "a && b || c"', 'a && b || c', ['cmd', 'chain']],
    ['cmd /c "echo a 2>&1 & echo b >&2"', 'echo a 2>&1 ; echo b >&2', ['cmd', 'chain']],
    ['cmd /c false & exit /b 3', 'false ; exit 3', ['cmd', 'chain']],
  ] as const)('runs %s as %s', (line, commandLine, rules) => {
    expect(map(line)).toEqual({ command: interpreter(commandLine), rules });
  });

  it('keeps the exit codes beyond 8 bits of an exit /b inside a chain', () => {
    expect(map('cmd /c "false || exit /b 300"')?.command).toEqual(interpreter('false || exit 44', new Map([[44, 300]])));
  });

  it('reads %ERRORLEVEL% when cmd reads the line, as cmd does: the value from before the line, not after dir', () => {
    // cmd expands %VAR% once per line, before splitting at &: `dir x & exit /b %ERRORLEVEL%` exits 0.
    expect(map('cmd /c "dir & exit /b %ERRORLEVEL%"')).toEqual({ command: interpreter('dir ; exit ${ERRORLEVEL:-0}'), rules: ['cmd', 'errorlevel', 'chain'] });
    expect(map('cmd /c exit /b %errorlevel%')).toEqual({ command: interpreter('exit ${ERRORLEVEL:-0}'), rules: ['cmd', 'errorlevel', 'exit'] });
    expect(map('cmd /c echo %ERRORLEVEL%')?.command).toEqual(interpreter('echo ${ERRORLEVEL:-0}'));
  });

  it('reads !ERRORLEVEL! as each command runs when cmd has delayed expansion (/v:on)', () => {
    expect(map('cmd /v:on /c "false & exit /b !ERRORLEVEL!"')?.command).toEqual(interpreter('false ; exit $?'));
    // Without /v:on, !ERRORLEVEL! is plain text to cmd.
    expect(map('cmd /c "echo !ERRORLEVEL!"')?.command).toEqual(interpreter('echo !ERRORLEVEL!'));
  });

  it('leaves separators inside quotes, escaped ones, and lines without any alone', () => {
    expect(map('cmd /c echo "a & b"')?.command).toEqual(interpreter('echo "a & b"'));
    expect(map('cmd /c echo a ^& b')?.command).toEqual(interpreter('echo a ^& b'));
    expect(map('cmd /c echo a | sort')?.command).toEqual(interpreter('echo a | sort'));
  });

  it('applies only to lines cmd runs: a top-level line is the interpreter’s, where & means background', () => {
    expect(map('sleep 1 & echo x')).toBeUndefined();
    expect(map('echo %ERRORLEVEL%')).toBeUndefined();
  });

  it('leaves a PowerShell start inside a chain as written (it needs a program of its own)', () => {
    expect(map(`cmd /c "powershell -enc ${B64} & exit /b 2"`)?.command).toEqual(interpreter(`powershell -enc ${B64} ; exit 2`));
  });

  it('can be turned off like any rule', () => {
    expect(mapCommandLine('cmd /c "a & b"', ['cmd'], true)?.command).toEqual(interpreter('a & b'));
    expect(mapCommandLine('cmd /c exit /b %ERRORLEVEL%', ['cmd', 'exit'], true)?.command).toEqual(interpreter('exit /b %ERRORLEVEL%'));
  });
});

describe('Winrmd.CommandMapping', () => {
  it('turns rules off one by one', () => {
    expect(mapCommandLine(`powershell -enc ${B64}`, ['cmd', 'exit'], true)).toBeUndefined();
    expect(mapCommandLine('cmd /c exit /b 3', ['cmd'], true)?.command).toEqual({ kind: 'interpreter', commandLine: 'exit /b 3', exitCodes: undefined });
    expect(mapCommandLine('cmd /c echo', [], true)).toBeUndefined();
  });

  it('reads names in any case and reports unknown ones', () => {
    expect(parseRuleNames(' PowerShell , exit ')).toEqual({ rules: ['powershell', 'exit'], unknown: [] });
    expect(parseRuleNames('cmd,bash')).toEqual({ rules: ['cmd'], unknown: ['bash'] });
    expect(parseRuleNames('')).toEqual({ rules: [], unknown: [] });
  });

  it('is checked when the configuration is loaded', async () => {
    await expect(loadConfig({ sets: ['Winrmd.CommandMapping=powershell,bash'] })).rejects.toThrow(/no rule named 'bash'/);
    expect((await loadConfig({}))['Winrmd.CommandMapping']).toBe('powershell,cmd,errorlevel,chain,exit');
  });
});
