import { describe, expect, it } from 'vitest';
import { firstEntry, parseGroupLine, parseIdGroups, parsePasswdLine } from '../../../accounts/getent-output.js';

describe('getent passwd lines', () => {
  it('reads name, ids, home and shell', () => {
    expect(parsePasswdLine('alice:x:1001:1002:Alice A,,,:/home/alice:/bin/bash\n')).toEqual({
      name: 'alice',
      uid: 1001,
      gid: 1002,
      home: '/home/alice',
      shell: '/bin/bash',
    });
  });

  it('gives an empty shell field /bin/sh, as login(1) does', () => {
    expect(parsePasswdLine('bob:x:1003:1003::/home/bob:')?.shell).toBe('/bin/sh');
  });

  it.each(['', 'alice:x:1001:1002:/home/alice:/bin/sh', 'alice:x:-1:1:g:/h:/bin/sh', 'alice:x:1:abc:g:/h:/bin/sh', ':x:1:1:g:/h:/bin/sh', 'a:x:4294967295:1:g:/h:/s'])(
    'refuses %j',
    (line) => {
      expect(parsePasswdLine(line)).toBeUndefined();
    },
  );
});

describe('getent group lines', () => {
  it('reads the name and gid', () => {
    expect(parseGroupLine('sudo:x:27:alice,bob')).toEqual({ name: 'sudo', gid: 27 });
    expect(parseGroupLine('wheel:x:10:')).toEqual({ name: 'wheel', gid: 10 });
  });

  it('refuses a line that is not a group', () => {
    expect(parseGroupLine('sudo:x:27')).toBeUndefined();
    expect(parseGroupLine('sudo:x::')).toBeUndefined();
  });
});

describe('id -G output', () => {
  it('reads the group ids once each, in order', () => {
    expect(parseIdGroups('1001 27 100 27\n')).toEqual([1001, 27, 100]);
  });

  it('refuses empty or non-numeric output', () => {
    expect(parseIdGroups('\n')).toBeUndefined();
    expect(parseIdGroups('1001 sudo')).toBeUndefined();
  });
});

describe('firstEntry', () => {
  it('takes the first line that parses, whatever its case (NSS may canonicalise the name)', () => {
    expect(firstEntry('\nAlice:x:1:2:g:/h:/bin/sh\nother:x:3:4:g:/h:/bin/sh\n', parsePasswdLine)?.name).toBe('Alice');
    expect(firstEntry('', parsePasswdLine)).toBeUndefined();
  });
});
