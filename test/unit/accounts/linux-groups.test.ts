import { describe, expect, it } from 'vitest';
import { groupsWithLinuxMembership, type GroupLookup, type LinuxGroupMapping, type OsAccount } from '../../../accounts/index.js';

const ACCOUNTS: Record<string, OsAccount> = {
  alice: { name: 'alice', uid: 1001, gid: 1001, groupIds: [1001, 27], home: '/home/alice', shell: '/bin/sh' },
  labbob: { name: 'labbob', uid: 1002, gid: 4000, groupIds: [4000], home: '/home/labbob', shell: '/bin/sh' },
};
const GROUPS: Record<string, number> = { sudo: 27, winrm: 4000, wheel: 10 };

function lookup(asked: string[] = []): GroupLookup {
  return {
    account: (name) => {
      asked.push(`account ${name}`);
      return Promise.resolve(ACCOUNTS[name]);
    },
    groupId: (name) => {
      asked.push(`group ${name}`);
      return Promise.resolve(GROUPS[name]);
    },
  };
}

const SUDO_ADMINS: LinuxGroupMapping = { administrators: 'sudo', remoteManagementUsers: 'winrm' };

describe('groupsWithLinuxMembership', () => {
  it('makes members of the Linux group Administrators', async () => {
    expect(await groupsWithLinuxMembership({ name: 'alice', groups: [] }, SUDO_ADMINS, lookup())).toEqual(['Administrators']);
  });

  it("counts the primary group, and looks at the user's mapped account (osUser)", async () => {
    expect(await groupsWithLinuxMembership({ name: 'bob', osUser: 'labbob', groups: ['Ops'] }, SUDO_ADMINS, lookup())).toEqual([
      'Ops',
      'Remote Management Users',
    ]);
  });

  it('adds nothing for a user without a Linux account, or outside the groups', async () => {
    expect(await groupsWithLinuxMembership({ name: 'carol', groups: ['Ops'] }, SUDO_ADMINS, lookup())).toEqual(['Ops']);
    const wheel: LinuxGroupMapping = { administrators: 'wheel', remoteManagementUsers: '' };
    expect(await groupsWithLinuxMembership({ name: 'alice', groups: [] }, wheel, lookup())).toEqual([]);
    const missing: LinuxGroupMapping = { administrators: 'no-such-group', remoteManagementUsers: '' };
    expect(await groupsWithLinuxMembership({ name: 'alice', groups: [] }, missing, lookup())).toEqual([]);
  });

  it('asks nothing when nothing is mapped or the user is already in the group', async () => {
    const asked: string[] = [];
    const none: LinuxGroupMapping = { administrators: '', remoteManagementUsers: '' };
    expect(await groupsWithLinuxMembership({ name: 'alice', groups: ['Users'] }, none, lookup(asked))).toEqual(['Users']);
    const adminsOnly: LinuxGroupMapping = { administrators: 'sudo', remoteManagementUsers: '' };
    expect(await groupsWithLinuxMembership({ name: 'alice', groups: ['administrators'] }, adminsOnly, lookup(asked))).toEqual(['administrators']);
    expect(asked).toEqual([]);
  });
});
