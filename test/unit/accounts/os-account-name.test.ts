import { describe, expect, it } from 'vitest';
import { isValidOsAccountName, osAccountNameProblem } from '../../../accounts/index.js';

describe('Linux account names', () => {
  it.each(['alice', 'lab_alice', 'a.b-c', 'Administrator', 'host$', 'svc@example', '_apt', '0ad'])('accepts %s', (name) => {
    expect(isValidOsAccountName(name)).toBe(true);
  });

  it.each([
    ['', /empty/],
    ['0', /digits/],
    ['1000', /digits/],
    ['-rf', /allowed/],
    ['.hidden', /allowed/],
    ['al ice', /allowed/],
    ['a/b', /allowed/],
    ['a:b', /allowed/],
    ['a$b', /allowed/],
    ['x'.repeat(256), /longer/],
  ])('refuses %j', (name, why) => {
    expect(osAccountNameProblem(name)).toMatch(why);
  });
});
