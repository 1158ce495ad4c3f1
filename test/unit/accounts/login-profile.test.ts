import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPosixShellInterpreter, profilePrelude } from '../../../accounts/index.js';

let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'winrmd-profile-'));
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** Runs `/bin/sh -c <prelude><commandLine>` as a shell's commands run, with HOME set. */
function run(commandLine: string, request: Record<string, string> = {}, input = ''): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync('/bin/sh', ['-c', `${profilePrelude(request)}${commandLine}`], {
    env: { HOME: home, PATH: '/usr/bin:/bin', ...request },
    input,
    encoding: 'utf8',
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

async function withProfile(text: string): Promise<void> {
  await writeFile(join(home, '.profile'), text);
}

describe('profilePrelude', () => {
  it('sources ~/.profile before the command line', async () => {
    await withProfile('export FROM_PROFILE=yes\nalias greet="echo hi"\n');
    expect(run('echo "$FROM_PROFILE"').stdout).toBe('yes\n');
  });

  it("keeps the profiles' output out of the command's, and their hands off its input", async () => {
    await withProfile('echo profile-out\necho profile-err >&2\nread swallowed\n');
    const result = run('cat', {}, 'the input\n');
    expect(result.stdout).toBe('the input\n');
    expect(result.stderr).toBe('');
  });

  it('survives a profile with a syntax error', async () => {
    await withProfile('export BEFORE=1\nif then\n');
    const result = run('echo still running');
    expect(result.stdout).toBe('still running\n');
    expect(result.status).toBe(0);
  });

  it("keeps the command's own line numbers in the shell's messages", async () => {
    await withProfile('');
    const result = run('winrmd-no-such-command');
    expect(result.stderr).toMatch(/^\/bin\/sh: 1: winrmd-no-such-command: not found/);
    expect(result.status).toBe(127);
  });

  it("lets the Create request's variables win over the profile, quoted exactly", async () => {
    await withProfile('export PATH=/profile/bin\nexport ODD=profile\n');
    const odd = `it's "quoted" $HOME \`x\` \\ ;`;
    const result = run('printf "%s|%s\\n" "$PATH" "$ODD"', { PATH: '/request/bin:/usr/bin:/bin', ODD: odd, 'NOT AN IDENTIFIER': 'x' });
    expect(result.stdout).toBe(`/request/bin:/usr/bin:/bin|${odd}\n`);
  });

  it('does nothing for a missing ~/.profile', async () => {
    await rm(join(home, '.profile'), { force: true });
    expect(run('echo ok').stdout).toBe('ok\n');
  });
});

describe('isPosixShellInterpreter', () => {
  it.each([
    [['/bin/sh', '-c'], true],
    [['/usr/bin/bash', '-c'], true],
    [['dash', '-c'], true],
    [['/usr/bin/pwsh', '-c'], false],
    [['/usr/bin/python3', '-c'], false],
    [['/bin/sh', '-e', '-c'], false],
    [['/bin/sh'], false],
    [[], false],
  ])('%j → %s', (interpreter, expected) => {
    expect(isPosixShellInterpreter(interpreter)).toBe(expected);
  });
});
