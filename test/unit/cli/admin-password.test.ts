import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configuredAdminPassword } from '../../../cli/admin-password.js';
import { ConfigError } from '../../../config/config-error.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-admin-password-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('configuredAdminPassword', () => {
  it('takes WINRMD_ADMIN_PASSWORD as it is', async () => {
    expect(await configuredAdminPassword({ WINRMD_ADMIN_PASSWORD: ' pa ss\tword ' })).toEqual({
      password: ' pa ss\tword ',
      source: 'WINRMD_ADMIN_PASSWORD',
    });
  });

  it('reads the first line of WINRMD_ADMIN_PASSWORD_FILE, without its line ending', async () => {
    const lf = join(dir, 'lf');
    const crlf = join(dir, 'crlf');
    await writeFile(lf, 'from-a-secret\nsecond line\n');
    await writeFile(crlf, 'windows-edited\r\n');
    expect(await configuredAdminPassword({ WINRMD_ADMIN_PASSWORD_FILE: lf })).toEqual({ password: 'from-a-secret', source: 'WINRMD_ADMIN_PASSWORD_FILE' });
    expect((await configuredAdminPassword({ WINRMD_ADMIN_PASSWORD_FILE: crlf }))?.password).toBe('windows-edited');
  });

  it('is undefined when neither is set, or both are empty', async () => {
    expect(await configuredAdminPassword({})).toBeUndefined();
    expect(await configuredAdminPassword({ WINRMD_ADMIN_PASSWORD: '', WINRMD_ADMIN_PASSWORD_FILE: '' })).toBeUndefined();
  });

  it('refuses both at once', async () => {
    const file = join(dir, 'secret');
    await writeFile(file, 'x\n');
    await expect(configuredAdminPassword({ WINRMD_ADMIN_PASSWORD: 'y', WINRMD_ADMIN_PASSWORD_FILE: file })).rejects.toThrow(/not both/);
  });

  it('names the file, never the password, when the file is missing, empty or too long', async () => {
    const empty = join(dir, 'empty');
    const huge = join(dir, 'huge');
    await writeFile(empty, '\n');
    await writeFile(huge, 'h'.repeat(5000));
    const missing = configuredAdminPassword({ WINRMD_ADMIN_PASSWORD_FILE: join(dir, 'nope') });
    await expect(missing).rejects.toBeInstanceOf(ConfigError);
    await expect(missing).rejects.toThrow(/WINRMD_ADMIN_PASSWORD_FILE: cannot read .*nope \(ENOENT\)/);
    await expect(configuredAdminPassword({ WINRMD_ADMIN_PASSWORD_FILE: empty })).rejects.toThrow(/is empty/);
    const tooLong = configuredAdminPassword({ WINRMD_ADMIN_PASSWORD_FILE: huge });
    await expect(tooLong).rejects.toThrow(/longer than 4096 bytes/);
    await expect(tooLong).rejects.not.toThrow(/hhhh/);
  });
});
