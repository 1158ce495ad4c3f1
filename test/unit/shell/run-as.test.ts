import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandProcess } from '../../../shell/command-process.js';
import { runAsArgv } from '../../../shell/run-as.js';
import type { RunAsAccount } from '../../../shell/types.js';
import { direct, drain, groupIsGone, processGroupOf, programOf, readLine, settings, viaShell, waitFor } from './helpers.js';

const SETPRIV = '/usr/bin/setpriv';
const isRoot = process.getuid?.() === 0;
// nobody/nogroup exist on every Debian system; 100 is "users".
const NOBODY: RunAsAccount = { uid: 65534, gid: 65534, groupIds: [65534, 100], setprivPath: SETPRIV };

const started: CommandProcess[] = [];

async function start(...args: Parameters<typeof CommandProcess.start>): Promise<CommandProcess> {
  const command = await CommandProcess.start(...args);
  started.push(command);
  return command;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((command) => command.kill()));
});

describe('runAsArgv', () => {
  it('leaves the argv alone without an account', () => {
    expect(runAsArgv(undefined, '/bin/sh', ['-c', 'id'])).toEqual({ file: '/bin/sh', args: ['-c', 'id'] });
  });

  it('puts setpriv with uid, gid, every group and no inheritable capabilities in front', () => {
    expect(runAsArgv(NOBODY, '/bin/sh', ['-c', 'id'])).toEqual({
      file: SETPRIV,
      args: ['--reuid=65534', '--regid=65534', '--groups=65534,100', '--inh-caps=-all', '--', '/bin/sh', '-c', 'id'],
    });
    expect(runAsArgv({ ...NOBODY, groupIds: [] }, 'x', []).args).toContain('--clear-groups');
  });
});

describe('the command prelude', () => {
  it('runs before a command line given to the interpreter, never before a direct one', async () => {
    const withPrelude = settings({ commandPrelude: 'GREETING=from-prelude; ' });
    expect((await drain(await start('a', viaShell('echo "$GREETING"'), withPrelude))).stdout.toString()).toBe('from-prelude\n');
    expect((await drain(await start('b', direct('/bin/echo', 'plain'), withPrelude))).stdout.toString()).toBe('plain\n');
  });
});

if (!isRoot) console.warn('run-as.test.ts: not root, so commands cannot change account: those tests are SKIPPED');

describe.skipIf(!isRoot)('commands run as another account (root only)', () => {
  it('get its uid, gid and supplementary groups, and no capabilities', async () => {
    const command = await start('id', viaShell('id -u; id -g; id -G; grep -E "^Cap(Eff|Prm|Inh|Amb)" /proc/self/status'), settings({ runAs: NOBODY }));
    const { stdout, exitCode } = await drain(command);
    const [uid, gid, groups, ...caps] = stdout.toString().trim().split('\n');
    expect([uid, gid, groups]).toEqual(['65534', '65534', '65534 100']);
    for (const line of caps) expect(line).toMatch(/:\s+0000000000000000$/);
    expect(exitCode).toBe(0);
  });

  it("keep the command's own pid and process group, so signals and kill reach it", async () => {
    const command = await start('sleep', direct('/bin/sleep', '30'), settings({ runAs: NOBODY }));
    // setpriv execs the command: the pid Node knows becomes sleep itself.
    await waitFor(() => programOf(command.pid) === 'sleep', 'setpriv to exec sleep');
    expect(processGroupOf(command.pid)).toBe(command.pid);
    const status = readFileSync(`/proc/${command.pid}/status`, 'utf8');
    expect(status).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
    command.signal('ctrl_c');
    const { exitCode } = await drain(command);
    expect(exitCode).toBe(130);
  });

  it('are killed with everything they started in the background', async () => {
    const command = await start('bg', viaShell('sleep 60 & echo $!; wait'), settings({ runAs: NOBODY }));
    const background = Number(await readLine(command));
    expect(processGroupOf(background)).toBe(command.pid);
    await command.kill();
    await waitFor(() => groupIsGone(command.pid), 'the process group to end');
  });

  it('report a program that cannot be started as setpriv does, exit status 127', async () => {
    const { stderr, exitCode } = await drain(await start('missing', direct('/nonexistent/winrmd-program'), settings({ runAs: NOBODY })));
    expect(stderr.toString()).toMatch(/failed to execute \/nonexistent\/winrmd-program/);
    expect(exitCode).toBe(127);
  });
});
