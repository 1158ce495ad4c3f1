import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WsmanFault } from '../../../protocol/wsman/fault.js';
import { NS } from '../../../protocol/wsman/namespaces.js';
import { COMMAND_STATE } from '../../../protocol/winrs/uris.js';
import { faultEnvelope } from '../../../server/wsman-dispatch.js';
import { find, must, readEnvelope, readFault, RSP, WSMID, X } from '../protocol/xml-query.js';
import { ALICE, BOB, client, closeServices, CLIENT_IP, defaultConfig, ENDPOINT, expectCatalogueFault, makeService, type Client } from './dispatch-harness.js';
import * as env from './envelopes.js';

let c: Client;

beforeEach(async () => {
  c = client(makeService(await defaultConfig()));
});

afterEach(async () => {
  await closeServices();
});

describe('dispatchEnvelope: a shell’s whole life', () => {
  it('creates, runs, receives, terminates and deletes', async () => {
    // Create
    const created = await c.ok(env.create());
    expect(created.action).toBe('http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse');
    expect(must(created.body, X('ResourceCreated'), ['http://schemas.xmlsoap.org/ws/2004/08/addressing', 'Address']).text).toBe(ENDPOINT);
    const shell = must(created.body, RSP('Shell'));
    const shellId = must(shell, RSP('ShellId')).text;
    expect(shellId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(must(shell, RSP('Owner')).text).toBe('alice');
    expect(must(shell, RSP('ClientIP')).text).toBe(CLIENT_IP);
    expect(c.service.shells.size).toBe(1);

    // Command
    const command = await c.ok(env.command(shellId, 'echo hi; echo oops >&2; exit 4'));
    expect(command.action).toBe('http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandResponse');
    const commandId = must(command.body, RSP('CommandResponse'), RSP('CommandId')).text;

    // Receive until Done
    const drained = await c.receiveAll(shellId, commandId);
    expect(drained.stdout).toBe('hi\n');
    expect(drained.stderr).toBe('oops\n');
    expect(drained.exitCode).toBe(4);
    expect(drained.ends).toEqual({ stdout: 1, stderr: 1 });
    const last = drained.responses.at(-1);
    expect(last?.state).toBe(COMMAND_STATE.done);
    expect(last?.raw).toContain('<rsp:ExitCode>4</rsp:ExitCode>');
    for (const earlier of drained.responses.slice(0, -1)) expect(earlier.exitCode).toBeUndefined();

    // Signal terminate frees the CommandId
    const signalled = await c.ok(env.signal(shellId, commandId));
    expect(signalled.action).toBe('http://schemas.microsoft.com/wbem/wsman/1/windows/shell/SignalResponse');
    expect(must(signalled.body, RSP('SignalResponse')).children).toEqual([]);
    for (const request of [
      env.receive(shellId, commandId),
      env.signal(shellId, commandId),
      env.send(shellId, commandId, Buffer.from('x'), true),
    ]) {
      const fault = await c.fault(request);
      expect(fault.wsmanCode).toBe(2150858843);
      expectCatalogueFault(fault, 'unknownCommand');
    }

    // Delete
    const deleted = await c.ok(env.deleteShell(shellId));
    expect(deleted.action).toBe('http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse');
    expect(deleted.body.children).toEqual([]);
    expect(c.service.shells.size).toBe(0);

    // Nothing reaches the shell any more.
    for (const request of [
      env.command(shellId, 'echo again'),
      env.receive(shellId, commandId),
      env.send(shellId, commandId, Buffer.from('x'), false),
      env.signal(shellId, commandId),
      env.getShell(shellId),
      env.deleteShell(shellId),
    ]) {
      const fault = await c.fault(request);
      expect(fault.wsmanCode).toBe(2150858843);
      expectCatalogueFault(fault, 'unknownShell', [shellId]);
    }
  });

  it('answers pypsrp’s capitalised Terminate like terminate', async () => {
    const shellId = await c.createShell();
    const commandId = await c.runCommand(shellId, 'sleep 30');
    await c.ok(env.signal(shellId, commandId, 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/Terminate'));
    expectCatalogueFault(await c.fault(env.receive(shellId, commandId)), 'unknownCommand');
  });
});

describe('dispatchEnvelope: authentication and Identify', () => {
  it('answers an unauthenticated request that is not Identify with a bare 401, doing nothing', async () => {
    const result = await c.dispatch(env.create(), undefined);
    expect(result).toMatchObject({ status: 401, xml: '', action: env.ACTION.create, resourceUri: env.RESOURCE_URI.cmdShell, fault: undefined });
    expect(c.service.shells.size).toBe(0);
  });

  it('answers an unauthenticated Identify with a zero system version and no profiles', async () => {
    const result = await c.dispatch(env.identify(), undefined);
    expect(result.status).toBe(200);
    const view = readEnvelope(result.xml);
    expect(view.header.children).toEqual([]);
    // Windows' Identify envelope has no xml:lang (a reply quoted in Greenbone's WinRM detection script).
    expect(view.lang).toBeUndefined();
    const response = must(view.body, WSMID('IdentifyResponse'));
    expect(must(response, WSMID('ProtocolVersion')).text).toBe(NS.wsman);
    expect(must(response, WSMID('ProductVendor')).text).toBe('Microsoft Corporation');
    expect(must(response, WSMID('ProductVersion')).text).toBe('OS: 0.0.0 SP: 0.0 Stack: 3.0');
    expect(find(response, WSMID('SecurityProfiles'))).toBeUndefined();
  });

  it('answers an authenticated Identify with version and profiles', async () => {
    const result = await c.dispatch(env.identify(), ALICE);
    expect(result.status).toBe(200);
    const view = readEnvelope(result.xml);
    expect(view.lang).toBe('en-US');
    const response = must(view.body, WSMID('IdentifyResponse'));
    expect(must(response, WSMID('ProductVersion')).text).toBe('OS: 10.0.20348 SP: 0.0 Stack: 3.0');
    // The harness's endpoint is http://testhost:5985/wsman: the http profiles only.
    expect(find(response, WSMID('SecurityProfiles'))?.children.map((p) => p.text)).toEqual([
      'http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/http/basic',
    ]);
  });

  it('faults a malformed request even without a principal, rather than asking for credentials', async () => {
    const result = await c.dispatch({ xml: '<env:Envelope', messageId: '' }, undefined);
    expect(result.status).toBe(500);
    expect(result.fault).toBe('invalidXml');
  });
});

describe('dispatchEnvelope: faults', () => {
  it.each([
    ['Put', 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Put'],
    ['Disconnect', 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Disconnect'],
    ['an invented action', 'urn:example:nothing'],
    ['a Create in the wrong case', 'http://schemas.xmlsoap.org/ws/2004/09/transfer/create'],
  ])('answers %s with ActionNotSupported', async (_label, action) => {
    const fault = await c.fault(env.request({ action, resourceUri: env.RESOURCE_URI.cmdShell, body: '<rsp:Shell/>' }));
    expect(fault.wsmanCode).toBe(2150858771);
    expect(fault.envelope.action).toBe('http://schemas.xmlsoap.org/ws/2004/08/addressing/fault');
    expectCatalogueFault(fault, 'actionNotSupported');
  });

  it('reports the fault name and request in the result for the request log', async () => {
    const result = await c.dispatch(env.request({ action: 'urn:x', resourceUri: 'urn:r' }), ALICE);
    expect(result).toMatchObject({ status: 500, action: 'urn:x', resourceUri: 'urn:r', fault: 'actionNotSupported' });
  });

  it.each([
    ['no Action', env.request({ resourceUri: env.RESOURCE_URI.cmdShell, body: '<rsp:Shell/>' }), 'missingHeader'],
    ['a bad OperationTimeout', env.request({ action: env.ACTION.create, operationTimeout: 'PT-1S', body: '<rsp:Shell/>' }), 'invalidTimeoutHeader'],
    ['a MaxEnvelopeSize below 8192', env.request({ action: env.ACTION.create, maxEnvelopeSize: 4096, body: '<rsp:Shell/>' }), 'maxEnvelopeSizeTooSmall'],
  ] as const)('answers a request with %s with %s, related to its MessageID', async (_label, request, name) => {
    expectCatalogueFault(await c.fault(request), name);
  });

  it('answers XML it cannot parse with invalidXml, relating to nothing', async () => {
    const result = await c.dispatch({ xml: '<env:Envelope xmlns:env="x"><unclosed>', messageId: '' }, ALICE);
    expect(result.status).toBe(500);
    const fault = readFault(result.xml);
    expectCatalogueFault(fault, 'invalidXml');
    expect(fault.envelope.relatesTo).toBeUndefined();
    expect(fault.envelope.lang).toBe('en-US');
  });

  it('turns an unexpected error inside a handler into internalError', async () => {
    // A service whose registry throws something that is not a WsmanFault.
    const broken = client({
      ...c.service,
      shells: Object.assign(Object.create(c.service.shells) as typeof c.service.shells, {
        checkQuota: (): void => {
          throw new TypeError('boom');
        },
      }),
    });
    const fault = await broken.fault(env.create());
    expectCatalogueFault(fault, 'internalError');
    expect(fault.message).not.toContain('boom');
  });

  it('writes faultEnvelope for requests that never reached parsing', () => {
    const fault = readFault(faultEnvelope(new WsmanFault('requestTooLarge'), 'TESTHOST'));
    expectCatalogueFault(fault, 'requestTooLarge');
    expect(fault.envelope.relatesTo).toBeUndefined();
    expect(fault.envelope.messageId).toMatch(/^uuid:/);
  });
});

describe('dispatchEnvelope: envelope conventions', () => {
  it('answers in the Locale asked for, and faults in en-US', async () => {
    const shellId = await c.createShell();
    const view = await c.ok(env.request({ action: env.ACTION.get, resourceUri: env.RESOURCE_URI.anyShell, shellId, locale: 'de-DE' }));
    expect(view.lang).toBe('de-DE');
    const fault = await c.fault(env.request({ action: 'urn:x', locale: 'de-DE' }));
    expect(fault.envelope.lang).toBe('en-US');
  });

  it('writes a fault’s Reason in the Locale’s language when it has that language, else in en-US', async () => {
    for (const locale of ['en-US', 'en-us', 'de-DE', 'xx-YY']) {
      const fault = await c.fault(env.request({ action: 'urn:x', locale }));
      expect(fault.reasonLang, locale).toBe('en-US');
      expect(fault.envelope.lang, locale).toBe('en-US');
      expect(fault.reason, locale).toBe('The WS-Management service does not support the action specified in the request. ');
    }
  });

  it('refuses a Locale marked mustUnderstand with w:UnsupportedFeature, as [MS-WSMV] 3.1.4.1.8 says', async () => {
    const request = env.request(createSpec());
    const xml = request.xml.replace('<w:Locale mustUnderstand="false"', '<w:Locale mustUnderstand="true"');
    const fault = await c.fault({ xml, messageId: request.messageId });
    expectCatalogueFault(fault, 'localeMustUnderstand');
    expect(c.service.shells.size).toBe(0);
  });

  it('names the cmd shell plugin in f:ProviderFault for its own errors, and no plugin for the service’s', async () => {
    const shellId = await c.createShell();
    const pluginFault = await c.fault(env.request({ action: env.ACTION.signal, resourceUri: env.RESOURCE_URI.cmdShell, shellId, body: '<rsp:Signal CommandId="X"><rsp:Code>bogus</rsp:Code></rsp:Signal>' }));
    expect(pluginFault.wsmanCode).toBe(87);
    expect(pluginFault.provider).toBe('Shell cmd plugin');
    const serviceFault = await c.fault(env.request({ action: 'urn:x', resourceUri: env.RESOURCE_URI.cmdShell }));
    expect(serviceFault.provider).toBeUndefined();
  });

  it('falls back to en-US for a Locale that is not a language tag', async () => {
    const shellId = await c.createShell();
    const view = await c.ok(env.request({ action: env.ACTION.get, resourceUri: env.RESOURCE_URI.anyShell, shellId, locale: 'x" onload="y' }));
    expect(view.lang).toBe('en-US');
  });

  it('relates every answer to its request, success or fault', async () => {
    const messageId = 'uuid:11111111-2222-3333-4444-555555555555';
    const created = await c.ok(env.request({ ...createSpec(), messageId }));
    expect(created.relatesTo).toBe(messageId);
    const fault = await c.fault(env.request({ action: 'urn:x', messageId: 'uuid:custom-id' }));
    expect(fault.envelope.relatesTo).toBe('uuid:custom-id');
  });

  it('gives each answer a MessageID of its own', async () => {
    const shellId = await c.createShell();
    const a = await c.ok(env.getShell(shellId));
    const b = await c.ok(env.getShell(shellId));
    expect(a.messageId).not.toBe(b.messageId);
  });

  it('keeps shells apart between principals also in the result of Create', async () => {
    const aliceShell = await c.createShell(ALICE);
    const bobShell = await c.createShell(BOB);
    expect(aliceShell).not.toBe(bobShell);
    expect(c.service.shells.listFor('alice').map((s) => s.id)).toEqual([aliceShell]);
    expect(c.service.shells.listFor('bob').map((s) => s.id)).toEqual([bobShell]);
  });
});

function createSpec(): env.RequestSpec {
  return {
    action: env.ACTION.create,
    resourceUri: env.RESOURCE_URI.cmdShell,
    body: '<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>',
  };
}
