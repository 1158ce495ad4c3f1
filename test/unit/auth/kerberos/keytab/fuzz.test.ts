import { describe, expect, it } from 'vitest';
import { KeytabError, parseKeytab, serializeKeytab, type KeytabEntry } from '../../../../../auth/kerberos/keytab/keytab.js';
import { seeded } from '../crypto/helpers.js';

const SAMPLE: KeytabEntry[] = [
  { principal: { realm: 'EXAMPLE.COM', components: ['HTTP', 'srv01.example.com'], nameType: 3 }, timestamp: 1, kvno: 2, enctype: 18, key: Buffer.alloc(32, 7) },
  { principal: { realm: 'EXAMPLE.COM', components: ['host', 'srv01'], nameType: 1 }, timestamp: 2, kvno: 300, enctype: 23, key: Buffer.alloc(16, 8) },
];

/** Parses and asserts that the only possible failure is a KeytabError. */
function parseOrKeytabError(bytes: Buffer, label: string): void {
  try {
    const entries = parseKeytab(bytes);
    for (const entry of entries) {
      // Whatever parses must be self-consistent (no reads past the input: key within the input size).
      expect(entry.key.length, label).toBeLessThanOrEqual(bytes.length);
    }
  } catch (error) {
    if (!(error instanceof KeytabError)) throw new Error(`${label}: ${String(error)}`);
  }
}

describe('parseKeytab fuzz', () => {
  const valid = serializeKeytab(SAMPLE);

  it('never throws anything but KeytabError on random bytes behind a valid header', () => {
    const random = seeded(0x0502);
    for (let i = 0; i < 3000; i++) {
      const body = random.bytes(random.int(200));
      parseOrKeytabError(Buffer.concat([Buffer.of(0x05, 0x02), body]), `random #${i}`);
    }
  });

  it('never throws anything but KeytabError on mutated and truncated keytabs', () => {
    const random = seeded(4120);
    for (let i = 0; i < 5000; i++) {
      const mutated = Buffer.from(valid.subarray(0, random.int(4) === 0 ? random.int(valid.length + 1) : valid.length));
      for (let n = random.int(4) + 1; n > 0 && mutated.length > 0; n--) mutated[random.int(mutated.length)] = random.int(256);
      parseOrKeytabError(mutated, `mutation #${i}`);
    }
  });

  it('never throws anything but KeytabError on size fields pointing anywhere', () => {
    const random = seeded(77);
    for (let i = 0; i < 2000; i++) {
      const mutated = Buffer.from(valid);
      mutated.writeInt32BE(random.int(2) === 0 ? random.int(400) - 200 : (random.int(0x10000) << 16) | random.int(0x10000), 2);
      parseOrKeytabError(mutated, `size #${i}`);
    }
  });

  it('parses every valid prefix boundary consistently', () => {
    expect(parseKeytab(valid)).toHaveLength(2);
    const firstEnd = 2 + 4 + valid.readInt32BE(2);
    expect(parseKeytab(valid.subarray(0, firstEnd))).toHaveLength(1);
    for (let cut = 3; cut < valid.length; cut++) {
      if (cut === firstEnd) continue;
      expect(() => parseKeytab(valid.subarray(0, cut)), `cut at ${cut}`).toThrow(KeytabError);
    }
  });
});
