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

describe('OutputBuffer.restore', () => {
  it('puts taken output back in front of what came since, in its order, and reports its ends again', () => {
    const buffer = new OutputBuffer();
    buffer.append('stdout', Buffer.from('a'));
    buffer.append('stderr', Buffer.from('E'));
    buffer.append('stdout', Buffer.from('b'));
    buffer.close('stderr');
    const taken = buffer.take(BOTH, 100);
    expect(taken.endedStreams).toEqual(['stderr']);
    buffer.append('stdout', Buffer.from('c'));
    buffer.restore(taken);
    const again = buffer.take(BOTH, 100);
    expect(again.chunks.map((c) => `${c.stream}:${c.data.toString()}`)).toEqual(['stdout:a', 'stderr:E', 'stdout:bc']);
    expect(again.endedStreams).toEqual(['stderr']);
    expect(buffer.bytes).toBe(0);
  });

  it('keeps the order of two restores: the later one goes in front, as it was taken first', () => {
    const buffer = new OutputBuffer();
    for (const letter of 'abcd') buffer.append('stdout', Buffer.from(letter));
    const first = buffer.take(new Set(['stdout'] as const), 2);
    const second = buffer.take(new Set(['stdout'] as const), 1);
    buffer.restore(second);
    buffer.restore(first);
    expect(buffer.take(BOTH, 100).chunks.map((c) => c.data.toString()).join('')).toBe('abcd');
  });
});
