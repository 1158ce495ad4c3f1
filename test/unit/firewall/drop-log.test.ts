/** Refused connections are all counted; the log of them is rate limited with a summary line. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DropLog, type DroppedConnection } from '../../../firewall/drop-log.js';

const DROP: DroppedConnection = {
  remoteAddress: '198.51.100.7',
  remotePort: 40000,
  localAddress: '10.0.0.1',
  localPort: 5986,
  transport: 'https',
  profile: 'Public',
  rule: '(no matching allow rule)',
  bytesRead: 0,
};

function recorder() {
  const lines: Record<string, unknown>[] = [];
  return { lines, sink: { info: (fields: Record<string, unknown>) => lines.push(fields) } };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('DropLog', () => {
  it('logs each drop with source, destination, profile and rule', () => {
    const { lines, sink } = recorder();
    const log = new DropLog(sink);
    log.record(DROP);
    expect(lines).toEqual([{ event: 'firewall-drop', ...DROP, dropped: 1 }]);
  });

  it('writes at most N lines a second, then one summary with the number left out', () => {
    const { lines, sink } = recorder();
    const log = new DropLog(sink, { maxLinesPerSecond: 5 });
    for (let i = 0; i < 1000; i++) log.record({ ...DROP, remotePort: i });
    expect(lines).toHaveLength(5);
    expect(log.dropped).toBe(1000);
    // The summary comes when the second is over, without waiting for another drop.
    vi.advanceTimersByTime(1000);
    expect(lines).toHaveLength(6);
    expect(lines[5]).toEqual({ event: 'firewall-drop-suppressed', suppressed: 995, dropped: 1000 });
    // A new second logs again.
    log.record(DROP);
    expect(lines).toHaveLength(7);
    expect(lines[6]).toMatchObject({ event: 'firewall-drop', dropped: 1001 });
  });

  it('bounds the lines of a long flood to N+1 a second', () => {
    const { lines, sink } = recorder();
    const log = new DropLog(sink, { maxLinesPerSecond: 3 });
    for (let second = 0; second < 10; second++) {
      for (let i = 0; i < 500; i++) log.record(DROP);
      vi.advanceTimersByTime(1000);
    }
    expect(lines.length).toBeLessThanOrEqual(10 * 4);
    const suppressed = lines.filter((line) => line['event'] === 'firewall-drop-suppressed').reduce((sum, line) => sum + Number(line['suppressed']), 0);
    const logged = lines.filter((line) => line['event'] === 'firewall-drop').length;
    expect(logged + suppressed).toBe(5000);
  });

  it('writes a pending summary on flush and nothing when none is pending', () => {
    const { lines, sink } = recorder();
    const log = new DropLog(sink, { maxLinesPerSecond: 1 });
    log.flush();
    expect(lines).toHaveLength(0);
    log.record(DROP);
    log.record(DROP);
    log.flush();
    expect(lines.at(-1)).toEqual({ event: 'firewall-drop-suppressed', suppressed: 1, dropped: 2 });
    vi.advanceTimersByTime(5000);
    expect(lines).toHaveLength(2);
  });
});
