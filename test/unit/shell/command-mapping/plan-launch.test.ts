/**
 * From a Command to a running process: the mapping, finding pwsh (a fake one, see
 * test/support/fake-pwsh.ts), and the exit codes Linux cannot carry, run for real.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CommandProcess } from '../../../../shell/command-process.js';
import { planLaunch, type MappingSettings } from '../../../../shell/command-mapping/plan-launch.js';
import { encodeCommand } from '../../../../shell/command-mapping/powershell-args.js';
import { RULE_NAMES } from '../../../../shell/command-mapping/rules.js';
import type { CommandLaunch } from '../../../../shell/types.js';
import { encodedScriptOf, FAKE_PWSH_OUTPUT, installFakePwsh, type FakePwsh } from '../../../support/fake-pwsh.js';
import { drain, settings, viaShell } from '../helpers.js';

const SCRIPT = "$a = 'it''s \"quoted\"'; Write-Output $a # ✓ ünïcode";
const RUN_PS = `powershell -encodedcommand ${encodeCommand(SCRIPT)}`;

let dir: string;
let fake: FakePwsh;
let emptyDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-fake-pwsh-'));
  emptyDir = await mkdtemp(join(tmpdir(), 'winrmd-no-pwsh-'));
  fake = await installFakePwsh(dir);
  return async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(emptyDir, { recursive: true, force: true });
  };
});

function mapping(overrides: Partial<MappingSettings> = {}): MappingSettings {
  return { rules: RULE_NAMES, powerShellPath: '', environment: { PATH: emptyDir }, ...overrides };
}

async function run(launch: CommandLaunch): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const command = await CommandProcess.start('C1', launch, settings());
  command.endInput();
  const result = await drain(command);
  return { stdout: result.stdout.toString(), stderr: result.stderr.toString(), exitCode: result.exitCode };
}

describe('planLaunch', () => {
  it('runs the line as sent when no rule applies', async () => {
    const request = viaShell('echo plain');
    expect(await planLaunch(request, mapping())).toEqual({ launch: request, rules: [] });
  });

  it('runs powershell -EncodedCommand with Service.PowerShellPath, the script intact', async () => {
    const planned = await planLaunch(viaShell(RUN_PS), mapping({ powerShellPath: fake.path }));
    expect(planned.rules).toEqual(['powershell']);
    expect(planned.launch.argv?.[0]).toBe(fake.path);
    const before = (await fake.calls()).length;
    expect(await run(planned.launch)).toEqual({ stdout: `${FAKE_PWSH_OUTPUT}\n`, stderr: '', exitCode: 0 });
    const calls = await fake.calls();
    expect(calls).toHaveLength(before + 1);
    const call = calls.at(-1);
    expect(call?.args[0]).toBe('-EncodedCommand');
    expect(call && encodedScriptOf(call)).toBe(SCRIPT);
  });

  it('finds pwsh on the command PATH when Service.PowerShellPath is empty', async () => {
    const planned = await planLaunch(viaShell(RUN_PS), mapping({ environment: { PATH: `${emptyDir}:relative:${dir}` } }));
    expect(planned.launch.argv?.[0]).toBe(fake.path);
  });

  it('fails as cmd.exe does without pwsh: 9009, and the message as CLIXML on stderr', async () => {
    const planned = await planLaunch(viaShell(RUN_PS), mapping());
    const result = await run(planned.launch);
    expect(result.exitCode).toBe(9009);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^#< CLIXML\r\n<Objs Version="1\.1\.0\.1" xmlns="http:\/\/schemas\.microsoft\.com\/powershell\/2004\/04">/);
    expect(result.stderr).toContain(`<S S="Error">'powershell' is not recognized as an internal or external command,_x000D__x000A_</S>`);
  });

  it('does not take a Service.PowerShellPath that is not an executable file', async () => {
    const notExecutable = join(dir, 'not-executable');
    await writeFile(notExecutable, '#!/bin/sh\n');
    for (const powerShellPath of [notExecutable, dir, join(dir, 'missing')]) {
      const planned = await planLaunch(viaShell(RUN_PS), mapping({ powerShellPath, environment: { PATH: dir } }));
      expect(planned.launch.exitCodes?.get(127), powerShellPath).toBe(9009);
    }
  });

  it('gives exit /b N as ExitCode N, beyond the 8 bits of a Linux status', async () => {
    for (const [line, code] of [['exit /b 9009', 9009], ['cmd /c "exit /b 3"', 3], ['exit /b 256', 256]] as const) {
      const planned = await planLaunch(viaShell(line), mapping());
      expect((await run(planned.launch)).exitCode, line).toBe(code);
    }
  });

  it('runs cmd /c lines through the interpreter', async () => {
    const planned = await planLaunch({ ...viaShell('cmd.exe /c "echo one; echo two"'), skipInterpreter: true }, mapping());
    expect(planned.launch.skipInterpreter).toBe(false);
    expect((await run(planned.launch)).stdout).toBe('one\ntwo\n');
  });
});
