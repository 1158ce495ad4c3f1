import { describe, expect, it } from 'vitest';
import { EnumerationRegistry } from '../../../server/enumeration-registry.js';

const TIMEOUT_MS = 240_000;

function setup(): { registry: EnumerationRegistry; advance: (ms: number) => void } {
  let t = 5_000_000;
  const registry = new EnumerationRegistry(
    () => TIMEOUT_MS,
    () => t,
  );
  return { registry, advance: (ms) => (t += ms) };
}

const items = (n: number): string[] => Array.from({ length: n }, (_, i) => `<item>${i}</item>`);

describe('EnumerationRegistry', () => {
  it('hands out uuid: contexts, each different', () => {
    const { registry } = setup();
    const a = registry.start('alice', items(1));
    const b = registry.start('alice', items(1));
    expect(a).toMatch(/^uuid:[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(a).not.toBe(b);
  });

  it('pages through the items in order and ends with the last one', () => {
    const { registry } = setup();
    const context = registry.start('alice', items(5));
    expect(registry.pull(context, 'alice', 2)).toEqual({ items: ['<item>0</item>', '<item>1</item>'], ended: false });
    expect(registry.pull(context, 'alice', 2)).toEqual({ items: ['<item>2</item>', '<item>3</item>'], ended: false });
    expect(registry.pull(context, 'alice', 2)).toEqual({ items: ['<item>4</item>'], ended: true });
    // Once ended, the context is gone.
    expect(registry.pull(context, 'alice', 2)).toBeUndefined();
    expect(registry.release(context, 'alice')).toBe(false);
  });

  it('ends at once when the page takes exactly the rest', () => {
    const { registry } = setup();
    const context = registry.start('alice', items(3));
    expect(registry.pull(context, 'alice', 3)).toEqual({ items: items(3), ended: true });
  });

  it('ends an enumeration of nothing on the first pull', () => {
    const { registry } = setup();
    const context = registry.start('alice', []);
    expect(registry.pull(context, 'alice', 10)).toEqual({ items: [], ended: true });
  });

  it('does not know contexts it never handed out', () => {
    const { registry } = setup();
    expect(registry.pull('uuid:00000000-0000-0000-0000-000000000000', 'alice', 1)).toBeUndefined();
    expect(registry.release('uuid:00000000-0000-0000-0000-000000000000', 'alice')).toBe(false);
  });

  it('lets only the owner pull or release, in any case of the name', () => {
    const { registry } = setup();
    const context = registry.start('alice', items(3));
    expect(registry.pull(context, 'bob', 1)).toBeUndefined();
    expect(registry.release(context, 'bob')).toBe(false);
    // Bob's attempts took nothing.
    expect(registry.pull(context, 'ALICE', 1)).toEqual({ items: ['<item>0</item>'], ended: false });
    expect(registry.release(context, 'Alice')).toBe(true);
    expect(registry.pull(context, 'alice', 1)).toBeUndefined();
  });

  it('releases a context once', () => {
    const { registry } = setup();
    const context = registry.start('alice', items(2));
    expect(registry.release(context, 'alice')).toBe(true);
    expect(registry.release(context, 'alice')).toBe(false);
  });

  it('expires an unused context after the enumeration timeout', () => {
    const { registry, advance } = setup();
    const context = registry.start('alice', items(3));
    advance(TIMEOUT_MS - 1);
    expect(registry.pull(context, 'alice', 1)?.items).toEqual(['<item>0</item>']);
    // The pull renewed it for another full timeout.
    advance(TIMEOUT_MS - 1);
    expect(registry.pull(context, 'alice', 1)?.items).toEqual(['<item>1</item>']);
    advance(TIMEOUT_MS);
    expect(registry.pull(context, 'alice', 1)).toBeUndefined();
  });

  it('does not let an expired context be released', () => {
    const { registry, advance } = setup();
    const context = registry.start('alice', items(3));
    advance(TIMEOUT_MS + 1);
    expect(registry.release(context, 'alice')).toBe(false);
  });

  it('drops the oldest context beyond 1000 open ones', () => {
    const { registry } = setup();
    const first = registry.start('alice', items(2));
    const second = registry.start('alice', items(2));
    for (let i = 0; i < 998; i++) registry.start('alice', items(1));
    // 1000 open: the next start drops the oldest.
    registry.start('alice', items(1));
    expect(registry.pull(first, 'alice', 1)).toBeUndefined();
    expect(registry.pull(second, 'alice', 1)?.items).toEqual(['<item>0</item>']);
  });
});
