/**
 * Golden tests: for each operation, winrmd's reply compared structurally (structure.ts) with the
 * shape Windows gives, as fixtures in test/golden/windows/ record it (each names the public
 * recording it was written from). Replies come from the real dispatcher and service, in-process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchEnvelope, type DispatcherSettings } from '../../server/wsman-dispatch.js';
import type { Principal } from '../../server/principal.js';
import type { ServiceState } from '../../server/handlers/index.js';
import { ALICE, CLIENT_IP, closeServices, defaultConfig, log, makeService } from '../unit/server/dispatch-harness.js';
import * as env from '../unit/server/envelopes.js';
import { A, must, readEnvelope, RSP, W, X } from '../unit/protocol/xml-query.js';
import { eventually } from '../support/expect-helpers.js';
import { compareStructure } from './structure.js';

const SETTINGS: DispatcherSettings = {
  machineName: 'WINRMD-GOLDEN',
  identify: {
    productVendor: 'Microsoft Corporation',
    productVersion: 'OS: 10.0.20348 SP: 0.0 Stack: 3.0',
    // Basic and Negotiate on, as on the host the authenticated Identify fixture was recorded from.
    profiles: ['spnego-kerberos', 'basic'],
  },
};

function fixture(name: string): string {
  return readFileSync(new URL(`./windows/${name}.xml`, import.meta.url), 'utf8');
}

let service: ServiceState;

beforeEach(async () => {
  service = makeService(await defaultConfig());
});

afterEach(async () => {
  await closeServices();
});

async function reply(request: env.BuiltRequest, principal: Principal | undefined): Promise<{ status: number; xml: string }> {
  return dispatchEnvelope(
    { xml: request.xml, principal, clientIp: CLIENT_IP, endpointAddress: 'http://winrmd-golden:5985/wsman', abort: new AbortController().signal, log },
    service,
    SETTINGS,
  );
}

async function expectShape(name: string, request: env.BuiltRequest, status = 200): Promise<string> {
  const result = await reply(request, ALICE);
  expect(result.status, result.xml).toBe(status);
  expect(compareStructure(fixture(name), result.xml), result.xml).toEqual([]);
  return result.xml;
}

async function createShell(): Promise<string> {
  const result = await reply(env.create(), ALICE);
  const view = readEnvelope(result.xml);
  return must(view.body, X('ResourceCreated'), A('ReferenceParameters'), W('SelectorSet'), W('Selector')).text;
}

async function runCommand(shellId: string, commandLine: string): Promise<string> {
  const view = readEnvelope((await reply(env.command(shellId, commandLine), ALICE)).xml);
  return must(view.body, RSP('CommandResponse'), RSP('CommandId')).text;
}

describe('golden: Identify', () => {
  it('answers an anonymous Identify as Windows does', async () => {
    const result = await reply(env.identify(), undefined);
    expect(result.status).toBe(200);
    expect(compareStructure(fixture('identify-anonymous'), result.xml)).toEqual([]);
  });

  it('answers an authenticated Identify as Windows does', async () => {
    await expectShape('identify-authenticated', env.identify());
  });
});

describe('golden: the shell life cycle', () => {
  it('Create', async () => {
    await expectShape('create-shell', env.create());
  });

  it('Command, Send, Signal and Delete', async () => {
    const shellId = await createShell();
    await expectShape('command', env.command(shellId, 'cat'));
    const commandId = await runCommand(shellId, 'cat');
    await expectShape('send', env.send(shellId, commandId, Buffer.from('hi\n'), true));
    await expectShape('signal', env.signal(shellId, commandId));
    await expectShape('delete', env.deleteShell(shellId));
  });

  it('Receive while the command runs', async () => {
    const shellId = await createShell();
    const commandId = await runCommand(shellId, 'echo out; sleep 5');
    await expectShape('receive-running', env.receive(shellId, commandId));
  });

  // The host reports the exit and the pipes' last bytes separately, so on a loaded machine the one
  // Receive can still come too early; a retry keeps that from failing the comparison itself.
  it('Receive of an ended command, with its ExitCode', { retry: 2 }, async () => {
    const shellId = await createShell();
    // The same bytes as the recorded command wrote, so the data are compared too; the pipes close
    // well before the exit, so the exit is the last thing the host learns.
    const commandId = await runCommand(shellId, "printf 'out \\r\\n'; printf 'err \\r\\n' >&2; exec >&- 2>&-; sleep 0.2; exit 1");
    // Let it end first, so that one Receive holds the output, the ends and Done, as in the recording.
    const pid = service.shells.find(shellId, ALICE.name)?.session.command(commandId)?.pid;
    expect(await eventually(() => pid !== undefined && !existsSync(`/proc/${pid}`))).toBe(true);
    // The host hears of the exit after the process is gone; give that message a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expectShape('receive-done', env.receive(shellId, commandId));
  });

  it('Enumerate of the shells (netexec’s check)', async () => {
    await createShell();
    await expectShape('enumerate-shells', env.enumerate({ optimize: true, maxElements: 32000 }));
  });
});

describe('golden: faults', () => {
  it('w:TimedOut', async () => {
    const shellId = await createShell();
    const commandId = await runCommand(shellId, 'sleep 5');
    await expectShape('fault-timed-out', env.receive(shellId, commandId, { operationTimeout: 'PT0.2S' }), 500);
  });

  it('an unknown ShellId', async () => {
    await expectShape('fault-unknown-shell', env.deleteShell('B387C9DF-58ED-4E97-AE80-4117D8D12116'), 500);
  });

  it('an unknown CommandId', async () => {
    const shellId = await createShell();
    await expectShape('fault-unknown-command', env.receive(shellId, '87E77BEB-6761-4C48-9D70-A00266B8459A'), 500);
  });

  it('an invalid OperationTimeout', async () => {
    await expectShape('fault-invalid-timeout', env.request({ action: env.ACTION.create, resourceUri: env.RESOURCE_URI.cmdShell, operationTimeout: 'PT-1S', body: '<rsp:Shell/>' }), 500);
  });

  it('an error of the shell plugin', async () => {
    const shellId = await createShell();
    const commandId = await runCommand(shellId, 'sleep 5');
    await expectShape('fault-shell-plugin', env.signal(shellId, commandId, 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/bogus'), 500);
  });
});

