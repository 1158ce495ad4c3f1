import { describe, expect, it } from 'vitest';
import { LOGIN_PATH, LOGIN_SUPATH, loginEnvironment, type OsAccount } from '../../../accounts/index.js';

const ALICE: OsAccount = { name: 'alice', uid: 1001, gid: 1001, groupIds: [1001], home: '/home/alice', shell: '/bin/bash' };

describe('loginEnvironment', () => {
  it('holds exactly what login(1) sets, and nothing of winrmd', () => {
    expect(loginEnvironment(ALICE)).toEqual({ HOME: '/home/alice', USER: 'alice', LOGNAME: 'alice', SHELL: '/bin/bash', PATH: LOGIN_PATH });
  });

  it("gives root login.defs' ENV_SUPATH", () => {
    expect(loginEnvironment({ ...ALICE, name: 'root', uid: 0, gid: 0, home: '/root' })['PATH']).toBe(LOGIN_SUPATH);
    expect(LOGIN_SUPATH).toContain('/usr/sbin');
    expect(LOGIN_PATH).not.toContain('sbin');
  });
});
