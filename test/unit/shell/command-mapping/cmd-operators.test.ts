import { describe, expect, it } from 'vitest';
import { splitCmdSequence } from '../../../../shell/command-mapping/cmd-operators.js';

describe('splitCmdSequence', () => {
  it.each([
    ['a & b', ['a', 'b'], ['&']],
    ['a&&b', ['a', 'b'], ['&&']],
    ['a || b & c && d', ['a', 'b', 'c', 'd'], ['||', '&', '&&']],
    ['echo "x & y" & z', ['echo "x & y"', 'z'], ['&']],
    ['cmd 2>&1 & next', ['cmd 2>&1', 'next'], ['&']],
    ['cmd > &2 && next', ['cmd > &2', 'next'], ['&&']],
    ['a &', ['a', ''], ['&']],
  ])('splits %s', (line, parts, operators) => {
    expect(splitCmdSequence(line)).toEqual({ parts, operators });
  });

  it.each(['plain command', 'echo a ^& b', 'echo "a && b"', 'a | b', 'x 2>&1'])('finds no separator in %s', (line) => {
    expect(splitCmdSequence(line)).toBeUndefined();
  });
});
