import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../protocol/protocol-error.js';
import { formatDayTimeDuration, formatSecondsDuration, parseDurationMs } from '../../../../protocol/wsman/duration.js';

describe('parseDurationMs', () => {
  it.each([
    ['PT20S', 20_000],
    ['PT60.000S', 60_000],
    ['PT7200.000S', 7_200_000],
    ['PT0.5S', 500],
    ['PT0.0005S', 1],
    ['PT0S', 0],
    ['PT1M', 60_000],
    ['PT1H', 3_600_000],
    ['PT1H2M3.25S', 3_723_250],
    ['P1D', 86_400_000],
    ['P0DT0H5M12S', 312_000],
    ['P1Y', 365 * 86_400_000],
    ['P1M', 30 * 86_400_000],
    ['P1MT1M', 30 * 86_400_000 + 60_000],
    ['  PT20S\n', 20_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each([
    ['empty', ''],
    ['P alone', 'P'],
    ['PT alone', 'PT'],
    ['a trailing T', 'P1DT'],
    ['a negative duration', '-PT1S'],
    ['a negative component', 'PT-1S'],
    ['a bare number', '20'],
    ['seconds without T', 'P20S'],
    ['lower case', 'pt20s'],
    ['a fraction outside seconds', 'PT1.5M'],
    ['a comma decimal', 'PT1,5S'],
    ['garbage', 'soon'],
    ['components out of order', 'PT1S2M'],
    ['an exponent', 'PT1e3S'],
  ])('refuses %s', (_label, text) => {
    expect(() => parseDurationMs(text)).toThrow(ProtocolError);
  });

  it('refuses a value too large to be finite', () => {
    expect(() => parseDurationMs(`PT${'9'.repeat(400)}S`)).toThrow(ProtocolError);
  });
});

describe('formatSecondsDuration', () => {
  it.each([
    [7_200_000, 'PT7200.000S'],
    [600_000, 'PT600.000S'],
    [1_500, 'PT1.500S'],
    [0, 'PT0.000S'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatSecondsDuration(ms)).toBe(text);
  });

  it.each([0, 1, 999, 60_000, 7_200_000])('round-trips %d ms', (ms) => {
    expect(parseDurationMs(formatSecondsDuration(ms))).toBe(ms);
  });
});

describe('formatDayTimeDuration', () => {
  it.each([
    [0, 'P0DT0H0M0S'],
    [999, 'P0DT0H0M0S'],
    [312_000, 'P0DT0H5M12S'],
    [3_723_000, 'P0DT1H2M3S'],
    [90_061_000, 'P1DT1H1M1S'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDayTimeDuration(ms)).toBe(text);
  });

  it.each([0, 1_000, 312_000, 90_061_000])('round-trips %d ms', (ms) => {
    expect(parseDurationMs(formatDayTimeDuration(ms))).toBe(ms);
  });
});
