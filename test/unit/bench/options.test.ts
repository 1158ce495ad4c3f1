import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../../bench/compare/options.js';

describe('the comparison options: --warm-up', () => {
  it('warms a full run up with 2,000 run_cmds per set-up and a smoke run with 3', () => {
    expect(parseOptions([], {}).serverWarmup).toBe(2000);
    expect(parseOptions(['--smoke'], {}).serverWarmup).toBe(3);
  });

  it('takes a count, 0 for none', () => {
    expect(parseOptions(['--warm-up', '500'], {}).serverWarmup).toBe(500);
    expect(parseOptions(['--warm-up', '0', '--smoke'], {}).serverWarmup).toBe(0);
  });

  it('refuses what is not a whole number of runs', () => {
    for (const bad of ['-1', '2.5', 'many', '', ' ', '1e3', '0x10']) expect(() => parseOptions(['--warm-up', bad], {})).toThrow(/--warm-up needs a whole number/);
    expect(() => parseOptions(['--warm-up'], {})).toThrow(/--warm-up/);
  });
});
