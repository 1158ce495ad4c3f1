import { afterEach, describe, expect, it } from 'vitest';
import { CommandProcess } from '../../../shell/command-process.js';
import { runAsArgv } from '../../../shell/run-as.js';
import type { RunAsAccount } from '../../../shell/types.js';
import { direct, drain, settings, viaShell } from './helpers.js';

const SETPRIV = '/usr/bin/setpriv';
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

  it('puts setpriv with uid, gid, every group, no capabilities and no_new_privs in front', () => {
    expect(runAsArgv(NOBODY, '/bin/sh', ['-c', 'id'])).toEqual({
      file: SETPRIV,
      args: ['--reuid=65534', '--regid=65534', '--groups=65534,100', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs', '--', '/bin/sh', '-c', 'id'],
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

// Commands as another account now run inside that account's shell host: test/unit/host/host-process.test.ts.
