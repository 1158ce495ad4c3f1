import { afterEach, describe, expect, it } from 'vitest';

import { CommandLaunchError } from '../../../shell/errors.js';
import { ShellSession } from '../../../shell/shell-session.js';
import { drain, groupIsGone, livingMembers, readLine, settings, viaShell, waitFor } from './helpers.js';

const sessions: ShellSession[] = [];

function session(id = 'S1'): ShellSession {
  const shell = new ShellSession(id, settings());
  sessions.push(shell);
  return shell;
}

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((shell) => shell.close()));
});

const GUID = '6E0B2B5A-1C3D-4E5F-8A9B-0C1D2E3F4A5B';

describe('ShellSession', { timeout: 10_000 }, () => {
  it('keeps its id and settings', () => {
    const shell = session('ABC');
    expect(shell.id).toBe('ABC');
    expect(shell.settings.interpreter).toEqual(['/bin/sh', '-c']);
  });

  it('finds commands by id in any case', async () => {
    const shell = session();
    const command = await shell.startCommand(GUID, viaShell('printf hi'));
    expect(command.id).toBe(GUID);
    expect(shell.command(GUID.toLowerCase())).toBe(command);
    expect(shell.command(GUID)).toBe(command);
    expect(shell.command('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect((await drain(command)).stdout.toString()).toBe('hi');
  });

  it('refuses an id already in use, whatever its case, even while the first still starts', async () => {
    const shell = session();
    const first = shell.startCommand(GUID, viaShell('sleep 30'));
    await expect(shell.startCommand(GUID.toLowerCase(), viaShell('true'))).rejects.toThrow(/already exists/);
    await first;
    await expect(shell.startCommand(GUID, viaShell('true'))).rejects.toThrow(/already exists/);
  });

  it('counts the commands not yet finished', async () => {
    const shell = session();
    expect(shell.commandCount).toBe(0);
    const quick = await shell.startCommand('quick', viaShell('true'));
    await shell.startCommand('slow', viaShell('sleep 30'));
    expect(shell.commandCount).toBe(2);
    await drain(quick);
    expect(shell.commandCount).toBe(1);
    await shell.removeCommand('SLOW');
    expect(shell.commandCount).toBe(0);
  });

  it('removeCommand kills the command group and forgets it', async () => {
    const shell = session();
    const command = await shell.startCommand('c1', viaShell('sleep 100 & echo $!; exec sleep 100'));
    await readLine(command);
    expect(livingMembers(command.pid).length).toBe(2);
    await shell.removeCommand('C1');
    expect(shell.command('c1')).toBeUndefined();
    expect(command.hasExited).toBe(true);
    await waitFor(() => groupIsGone(command.pid), 'the process group to go');
    await shell.removeCommand('c1'); // unknown by now: nothing to do
    // The id is free again.
    const again = await shell.startCommand('c1', viaShell('printf again'));
    expect((await drain(again)).stdout.toString()).toBe('again');
  });

  it('passes launch failures through and keeps the id free', async () => {
    const shell = session();
    const launch = { commandLine: 'x', executable: '/nonexistent/x', args: [], skipInterpreter: true };
    await expect(shell.startCommand('c1', launch)).rejects.toBeInstanceOf(CommandLaunchError);
    expect(shell.command('c1')).toBeUndefined();
    expect(shell.commandCount).toBe(0);
    await expect(shell.startCommand('c1', viaShell('true'))).resolves.toBeDefined();
  });

  it('close kills every command and its background processes, once', async () => {
    const shell = session();
    const commands = await Promise.all([
      shell.startCommand('a', viaShell('sleep 100 & echo $!; exec sleep 100')),
      shell.startCommand('b', viaShell('sleep 100 & echo $!')), // leader exits, grandchild stays
      shell.startCommand('c', viaShell('yes')),
    ]);
    for (const command of commands.slice(0, 2)) await readLine(command);
    for (const command of commands) expect(livingMembers(command.pid).length).toBeGreaterThan(0);

    const closing = shell.close();
    expect(shell.close()).toBe(closing);
    await closing;
    for (const command of commands) {
      expect(command.hasExited).toBe(true);
      await waitFor(() => groupIsGone(command.pid), `group ${command.pid} to go`);
    }
    expect(shell.command('a')).toBeUndefined();
    expect(shell.commandCount).toBe(0);
    await expect(shell.startCommand('d', viaShell('true'))).rejects.toThrow(/closed/);
    await shell.close();
  });

  it('kills a command whose start finishes after close', async () => {
    const shell = session();
    const starting = shell.startCommand('late', viaShell('sleep 100'));
    await shell.close();
    await expect(starting).rejects.toThrow(/closed/);
    expect(shell.command('late')).toBeUndefined();
  });
});
