import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.js';
import { ensureStateDir, resolveStateDir } from '../../../config/state-dir.js';

describe('resolveStateDir', () => {
  const user = { uid: 1000, env: {}, home: '/home/ann' };

  it('uses Winrmd.StateDir when set, made absolute', async () => {
    expect(resolveStateDir(await loadConfig({ overrides: { 'Winrmd.StateDir': '/srv/winrmd' } }), user)).toBe('/srv/winrmd');
    expect(resolveStateDir(await loadConfig({ sets: ['Winrmd.StateDir=rel'] }), user)).toBe(join(process.cwd(), 'rel'));
  });

  it('uses /var/lib/winrmd for root', async () => {
    expect(resolveStateDir(await loadConfig({}), { ...user, uid: 0 })).toBe('/var/lib/winrmd');
  });

  it('uses XDG_STATE_HOME, ignoring a relative one, then ~/.local/state', async () => {
    const config = await loadConfig({});
    expect(resolveStateDir(config, { ...user, env: { XDG_STATE_HOME: '/x/state' } })).toBe('/x/state/winrmd');
    expect(resolveStateDir(config, { ...user, env: { XDG_STATE_HOME: 'relative' } })).toBe('/home/ann/.local/state/winrmd');
    expect(resolveStateDir(config, user)).toBe('/home/ann/.local/state/winrmd');
  });
});

describe('ensureStateDir', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'winrmd-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates missing directories with mode 0700 and accepts an existing one', async () => {
    const target = join(dir, 'a', 'winrmd');
    await ensureStateDir(target);
    expect((await stat(target)).mode & 0o777).toBe(0o700);
    await expect(ensureStateDir(target)).resolves.toBeUndefined();
  });

  it('fails when the path is a file', async () => {
    const target = join(dir, 'file');
    await writeFile(target, '');
    await expect(ensureStateDir(target)).rejects.toThrow();
  });
});
