import { describe, expect, it } from 'vitest';
import { OutputBuffer } from '../../../shell/output-buffer.js';

const BOTH = new Set(['stdout', 'stderr'] as const);

function interleaved(pieces: number): OutputBuffer {
  const buffer = new OutputBuffer();
  for (let i = 0; i < pieces; i++) buffer.append(i % 2 === 0 ? 'stdout' : 'stderr', Buffer.from('x'));
  return buffer;
}

describe('OutputBuffer.take', () => {
  it('joins adjacent pieces of one stream and keeps arrival order across streams', () => {
    const buffer = new OutputBuffer();
    buffer.append('stdout', Buffer.from('a'));
    buffer.append('stdout', Buffer.from('b'));
    buffer.append('stderr', Buffer.from('E'));
    buffer.append('stdout', Buffer.from('c'));
    const { chunks } = buffer.take(BOTH, 100);
    expect(chunks.map((c) => `${c.stream}:${c.data.toString()}`)).toEqual(['stdout:ab', 'stderr:E', 'stdout:c']);
  });

  it('charges each switch between streams, so alternating output cannot overrun a reply', () => {
    // 100 alternating one-byte pieces: without the charge all 100 fit in a 100-byte budget.
    expect(interleaved(100).take(BOTH, 100).chunks).toHaveLength(100);
    const charged = interleaved(100).take(BOTH, 100, 9);
    // First run free, then 1 byte + 9 overhead per further run: 1 + 9 runs * 10 = 91 <= 100.
    expect(charged.chunks).toHaveLength(10);
    const cost = charged.chunks.reduce((sum, c, i) => sum + c.data.length + (i === 0 ? 0 : 9), 0);
    expect(cost).toBeLessThanOrEqual(100);
  });

  it('leaves what did not fit for the next take, in order', () => {
    const buffer = interleaved(6);
    const first = buffer.take(BOTH, 12, 5);
    const second = buffer.take(BOTH, 100, 5);
    expect([...first.chunks, ...second.chunks].map((c) => c.stream)).toEqual(['stdout', 'stderr', 'stdout', 'stderr', 'stdout', 'stderr']);
  });

  it('is drained for the streams asked for once the pipes closed and those streams are empty', () => {
    const buffer = new OutputBuffer();
    buffer.append('stderr', Buffer.from('unread'));
    buffer.close('stdout');
    expect(buffer.isDrainedFor(new Set(['stdout'] as const))).toBe(false);
    buffer.close('stderr');
    expect(buffer.isDrainedFor(new Set(['stdout'] as const))).toBe(true);
    expect(buffer.isDrainedFor(BOTH)).toBe(false);
  });
});
