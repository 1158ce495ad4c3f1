import { describe, expect, it } from 'vitest';
import { localAccountName, parseBasicCredentials } from '../../../../auth/basic.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('parseBasicCredentials', () => {
  it.each([
    ['alice:secret', { userName: 'alice', password: 'secret' }],
    ['alice:', { userName: 'alice', password: '' }],
    ['alice:pa:ss:word', { userName: 'alice', password: 'pa:ss:word' }],
    ['.\\alice:pw', { userName: '.\\alice', password: 'pw' }],
    ['alice@HOST:pw', { userName: 'alice@HOST', password: 'pw' }],
    ['jöhn:päss ✓', { userName: 'jöhn', password: 'päss ✓' }],
    ['a:b', { userName: 'a', password: 'b' }],
  ])('reads %j', (plain, expected) => {
    expect(parseBasicCredentials(b64(plain))).toEqual(expected);
  });

  it('tolerates surrounding whitespace', () => {
    expect(parseBasicCredentials(`  ${b64('alice:pw')} `)).toEqual({ userName: 'alice', password: 'pw' });
  });

  it.each([
    ['no colon', b64('alice')],
    ['an empty user name', b64(':secret')],
    ['an empty token', ''],
    ['not base64', 'not base64!'],
    ['base64url', b64('a?>:b').replace(/\+/g, '-').replace(/\//g, '_') + '-_'],
    ['padding in the middle', 'YQ==YQ=='],
  ])('refuses %s', (_label, token) => {
    expect(parseBasicCredentials(token)).toBeUndefined();
  });
});

describe('localAccountName', () => {
  it.each([
    ['alice', 'alice'],
    ['.\\alice', 'alice'],
    ['HOST\\alice', 'alice'],
    ['host.example.com\\alice', 'alice'],
    ['alice@HOST', 'alice'],
    ['alice@host.example.com', 'alice'],
    ['Alice', 'Alice'],
    ['@alice', '@alice'],
    ['a\\b\\carol', 'carol'],
  ])('%s is the local account %s', (given, local) => {
    expect(localAccountName(given)).toBe(local);
  });
});
