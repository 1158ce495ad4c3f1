import { describe, expect, it } from 'vitest';
import { AccountLookupError, AccountResolver, type LookupResult } from '../../../accounts/index.js';

/** A fake getent and id over a small table; counts the calls to show what the cache saves. */
function fakeSystem(): { run: (file: string, args: readonly string[]) => Promise<LookupResult>; calls: string[] } {
  const calls: string[] = [];
  const passwd: Record<string, string> = {
    alice: 'alice:x:1001:1001::/home/alice:/bin/bash',
    labalice: 'labalice:x:1002:1002::/home/labalice:',
    broken: 'garbage',
  };
  const groups: Record<string, string> = { alice: '1001 27 100', labalice: '1002' };
  const groupEntries: Record<string, string> = { sudo: 'sudo:x:27:alice', wheel: 'wheel:x:10:' };
  const run = (file: string, args: readonly string[]): Promise<LookupResult> => {
    calls.push(`${file} ${args.join(' ')}`);
    const key = args[args.length - 1] ?? '';
    if (file === 'getent' && args[0] === 'passwd') {
      const line = passwd[key];
      return Promise.resolve(line === undefined ? { code: 2, stdout: '' } : { code: 0, stdout: `${line}\n` });
    }
    if (file === 'getent' && args[0] === 'group') {
      const line = groupEntries[key];
      return Promise.resolve(line === undefined ? { code: 2, stdout: '' } : { code: 0, stdout: `${line}\n` });
    }
    if (file === 'id') {
      const line = groups[key];
      return Promise.resolve(line === undefined ? { code: 1, stdout: '' } : { code: 0, stdout: `${line}\n` });
    }
    return Promise.reject(new Error(`unexpected ${file}`));
  };
  return { run, calls };
}

describe('AccountResolver', () => {
  it('combines the passwd entry with every group id, passing the name after --', async () => {
    const system = fakeSystem();
    const resolver = new AccountResolver(system.run);
    expect(await resolver.account('alice')).toEqual({ name: 'alice', uid: 1001, gid: 1001, groupIds: [1001, 27, 100], home: '/home/alice', shell: '/bin/bash' });
    expect(system.calls).toEqual(['getent passwd -- alice', 'id -G -- alice']);
  });

  it('answers undefined for a missing account, and for a name that cannot be one without asking', async () => {
    const system = fakeSystem();
    const resolver = new AccountResolver(system.run);
    expect(await resolver.account('nobody-here')).toBeUndefined();
    expect(await resolver.account('0')).toBeUndefined();
    expect(await resolver.account('-x')).toBeUndefined();
    expect(system.calls).toEqual(['getent passwd -- nobody-here']);
  });

  it('treats an account that vanished before id ran as missing', async () => {
    const system = fakeSystem();
    const resolver = new AccountResolver((file, args) => (file === 'id' ? Promise.resolve({ code: 1, stdout: '' }) : system.run(file, args)));
    expect(await resolver.account('alice')).toBeUndefined();
  });

  it('fails, rather than say "missing", when getent prints something else', async () => {
    const resolver = new AccountResolver(fakeSystem().run);
    await expect(resolver.account('broken')).rejects.toBeInstanceOf(AccountLookupError);
    const down = new AccountResolver(() => Promise.resolve({ code: 3, stdout: '' }));
    await expect(down.account('alice')).rejects.toBeInstanceOf(AccountLookupError);
  });

  it('caches answers, found or not, for a while; shares one lookup between concurrent callers', async () => {
    const system = fakeSystem();
    let nowMs = 0;
    const resolver = new AccountResolver(system.run, 5_000, () => nowMs);
    await Promise.all([resolver.account('alice'), resolver.account('alice'), resolver.account('ghost'), resolver.account('ghost')]);
    nowMs = 4_999;
    await resolver.account('alice');
    await resolver.account('ghost');
    expect(system.calls).toHaveLength(3);
    nowMs = 5_000;
    await resolver.account('alice');
    expect(system.calls).toHaveLength(5);
  });

  it('does not remember a failed lookup', async () => {
    let fail = true;
    const system = fakeSystem();
    const resolver = new AccountResolver((file, args) => (fail ? Promise.reject(new AccountLookupError('getent timed out')) : system.run(file, args)));
    await expect(resolver.account('alice')).rejects.toThrow('timed out');
    fail = false;
    expect((await resolver.account('alice'))?.uid).toBe(1001);
  });

  it('looks up group ids', async () => {
    const resolver = new AccountResolver(fakeSystem().run);
    expect(await resolver.groupId('sudo')).toBe(27);
    expect(await resolver.groupId('nogroup-here')).toBeUndefined();
  });

  it('reads the real system: root is uid 0 in group 0', async () => {
    const root = await new AccountResolver().account('root');
    expect(root).toMatchObject({ name: 'root', uid: 0, gid: 0 });
    expect(root?.groupIds).toContain(0);
    expect(await new AccountResolver().account('winrmd-no-such-account')).toBeUndefined();
    expect(await new AccountResolver().groupId('root')).toBe(0);
  });
});
