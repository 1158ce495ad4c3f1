import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { find, findAll, must, N, RSP, W, type EnvelopeView } from '../../protocol/xml-query.js';
import { ALICE, BOB, client, closeServices, defaultConfig, expectCatalogueFault, makeService, type Client } from '../dispatch-harness.js';
import * as env from '../envelopes.js';

let c: Client;
let aliceShells: string[];
let bobShell: string;

beforeEach(async () => {
  c = client(makeService(await defaultConfig()));
  aliceShells = [await c.createShell(ALICE), await c.createShell(ALICE)];
  bobShell = await c.createShell(BOB);
});

afterEach(async () => {
  await closeServices();
});

function shellIds(items: EnvelopeView['body'] | undefined): string[] {
  if (items === undefined) return [];
  return findAll(items, RSP('Shell')).map((s) => must(s, RSP('ShellId')).text);
}

describe('Enumerate shells', () => {
  it('returns the caller’s shells at once when optimized', async () => {
    const view = await c.ok(env.enumerate({ optimize: true, maxElements: 32000 }));
    expect(view.action).toBe('http://schemas.xmlsoap.org/ws/2004/09/enumeration/EnumerateResponse');
    const response = must(view.body, N('EnumerateResponse'));
    expect(shellIds(find(response, W('Items'))).sort()).toEqual([...aliceShells].sort());
    expect(find(response, W('EndOfSequence'))).toBeDefined();
    // Windows writes the context empty once the sequence has ended (pypsrp test_psrp_disconnect_runspaces.yml).
    expect(must(response, N('EnumerationContext')).text).toBe('');
    for (const shell of findAll(response, W('Items'), RSP('Shell'))) expect(must(shell, RSP('Owner')).text).toBe('alice');
  });

  it('shows bob only his own shell', async () => {
    const view = await c.ok(env.enumerate({ optimize: true, maxElements: 100 }), BOB);
    expect(shellIds(find(must(view.body, N('EnumerateResponse')), W('Items')))).toEqual([bobShell]);
  });

  it('pages an optimized enumeration that does not fit MaxElements, then Pull gives the rest', async () => {
    const first = must((await c.ok(env.enumerate({ optimize: true, maxElements: 1 }))).body, N('EnumerateResponse'));
    const firstIds = shellIds(find(first, W('Items')));
    expect(firstIds).toHaveLength(1);
    expect(find(first, W('EndOfSequence'))).toBeUndefined();
    const context = must(first, N('EnumerationContext')).text;

    const rest = must((await c.ok(env.pull(context, 10))).body, N('PullResponse'));
    const restIds = shellIds(find(rest, N('Items')));
    expect([...firstIds, ...restIds].sort()).toEqual([...aliceShells].sort());
    expect(find(rest, N('EndOfSequence'))).toBeDefined();
    expect(find(rest, N('EnumerationContext'))).toBeUndefined();
  });

  it('returns only a context when not optimized; Pull pages through and ends', async () => {
    const started = must((await c.ok(env.enumerate())).body, N('EnumerateResponse'));
    expect(find(started, W('Items'))).toBeUndefined();
    const context = must(started, N('EnumerationContext')).text;

    const page1 = await c.ok(env.pull(context, 1));
    expect(page1.action).toBe('http://schemas.xmlsoap.org/ws/2004/09/enumeration/PullResponse');
    const p1 = must(page1.body, N('PullResponse'));
    expect(must(p1, N('EnumerationContext')).text).toBe(context);
    expect(find(p1, N('EndOfSequence'))).toBeUndefined();

    const p2 = must((await c.ok(env.pull(context, 1))).body, N('PullResponse'));
    expect(find(p2, N('EndOfSequence'))).toBeDefined();
    expect([...shellIds(find(p1, N('Items'))), ...shellIds(find(p2, N('Items')))].sort()).toEqual([...aliceShells].sort());

    // The context ended with the last page.
    const fault = await c.fault(env.pull(context, 1));
    expect(fault.wsmanCode).toBe(2150858779);
    expectCatalogueFault(fault, 'invalidEnumerationContext');
    expect(fault.envelope.action).toBe('http://schemas.xmlsoap.org/ws/2004/09/enumeration/fault');
  });

  it('pulls one item per message without MaxElements', async () => {
    const context = must(must((await c.ok(env.enumerate())).body, N('EnumerateResponse')), N('EnumerationContext')).text;
    const page = must((await c.ok(env.pull(context))).body, N('PullResponse'));
    expect(shellIds(find(page, N('Items')))).toHaveLength(1);
  });

  it('releases a context, after which it cannot be pulled', async () => {
    const context = must(must((await c.ok(env.enumerate())).body, N('EnumerateResponse')), N('EnumerationContext')).text;
    const released = await c.ok(env.release(context));
    expect(released.action).toBe('http://schemas.xmlsoap.org/ws/2004/09/enumeration/ReleaseResponse');
    expect(released.body.children).toEqual([]);
    expectCatalogueFault(await c.fault(env.pull(context, 1)), 'invalidEnumerationContext');
    expectCatalogueFault(await c.fault(env.release(context)), 'invalidEnumerationContext');
  });

  it('does not let bob pull or release alice’s context', async () => {
    const context = must(must((await c.ok(env.enumerate())).body, N('EnumerateResponse')), N('EnumerationContext')).text;
    expectCatalogueFault(await c.fault(env.pull(context, 10), BOB), 'invalidEnumerationContext');
    expectCatalogueFault(await c.fault(env.release(context), BOB), 'invalidEnumerationContext');
    // Alice's context is untouched.
    const page = must((await c.ok(env.pull(context, 10))).body, N('PullResponse'));
    expect(shellIds(find(page, N('Items'))).sort()).toEqual([...aliceShells].sort());
  });

  it('takes a snapshot: shells deleted after Enumerate still come out of Pull', async () => {
    const context = must(must((await c.ok(env.enumerate())).body, N('EnumerateResponse')), N('EnumerationContext')).text;
    for (const id of aliceShells) await c.ok(env.deleteShell(id));
    const page = must((await c.ok(env.pull(context, 10))).body, N('PullResponse'));
    expect(shellIds(find(page, N('Items'))).sort()).toEqual([...aliceShells].sort());
  });

  it('enumerates nothing for a user without shells', async () => {
    const carol = { ...ALICE, name: 'carol' };
    const response = must((await c.ok(env.enumerate({ optimize: true, maxElements: 10 }), carol)).body, N('EnumerateResponse'));
    expect(find(response, W('Items'))).toBeUndefined();
    expect(find(response, W('EndOfSequence'))).toBeDefined();
  });

  it('works on the cmd shell resource URI too', async () => {
    const view = await c.ok(env.enumerate({ optimize: true, maxElements: 10, resourceUri: env.RESOURCE_URI.cmdShell }));
    expect(shellIds(find(must(view.body, N('EnumerateResponse')), W('Items'))).sort()).toEqual([...aliceShells].sort());
  });

  it('refuses a filter with n:FilteringNotSupported', async () => {
    const fault = await c.fault(env.enumerate({ filter: true, resourceUri: env.RESOURCE_URI.cmdShell }));
    expectCatalogueFault(fault, 'filteringNotSupported');
    expect(fault.envelope.action).toBe('http://schemas.xmlsoap.org/ws/2004/09/enumeration/fault');
  });

  it('refuses another resource URI', async () => {
    expectCatalogueFault(await c.fault(env.enumerate({ resourceUri: 'http://schemas.microsoft.com/wbem/wsman/1/config' })), 'unknownResource');
  });

  it('refuses a Pull with an unknown context', async () => {
    expectCatalogueFault(await c.fault(env.pull('uuid:00000000-0000-0000-0000-000000000000', 1)), 'invalidEnumerationContext');
  });
});
