/**
 * Enumerate/Pull/Release on the shell resource through the real server. netexec decides "Pwn3d!"
 * for WinRM by sending one Enumerate of `.../windows/shell` (pypsrp's envelope, body
 * `<wsen:Enumerate><wsman:OptimizeEnumeration/><wsman:MaxElements>32000</wsman:MaxElements>`)
 * and counting any reply that is not an error as success (Pennyw0rth/NetExec
 * nxc/protocols/winrm.py, check_if_admin). The envelope below is that request, written here.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectWsmanFault } from '../support/expect-helpers.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import { HttpStatusError, NS, WsmanClient, checkReply, child, children, parseXml, path, text } from '../support/wsman-client.js';

const SHELL_RESOURCE = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell';
const ENUMERATION = 'http://schemas.xmlsoap.org/ws/2004/09/enumeration';
const ACTIONS = {
  enumerate: `${ENUMERATION}/Enumerate`,
  pull: `${ENUMERATION}/Pull`,
  release: `${ENUMERATION}/Release`,
  enumerationFault: `${ENUMERATION}/fault`,
  put: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Put',
} as const;
/** ERROR_WSMAN_ENUMERATE_INVALID_ENUMERATION_CONTEXT. */
const INVALID_CONTEXT = { code: 2150858779, subcode: 'n:InvalidEnumerationContext' } as const;

const ADMIN: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };
const OPERATOR: TestUser = { name: 'rita', password: 'Rita-Pa55word!', groups: ['Remote Management Users'] };
const OUTSIDER: TestUser = { name: 'olga', password: 'Olga-Pa55word!', groups: [] };

let server: RunningServer;
let admin: WsmanClient;
let operator: WsmanClient;
let outsider: WsmanClient;
const adminShells: string[] = [];
let operatorShell = '';

beforeAll(async () => {
  server = await startServer({ users: [ADMIN, OPERATOR, OUTSIDER] });
  const url = `https://127.0.0.1:${server.httpsPort}/wsman`;
  const connect = (user: TestUser): WsmanClient => new WsmanClient({ url, user: user.name, password: user.password });
  admin = connect(ADMIN);
  operator = connect(OPERATOR);
  outsider = connect(OUTSIDER);
  adminShells.push(await admin.createShell(), await admin.createShell());
  operatorShell = await operator.createShell();
  return async () => {
    for (const shellId of adminShells) await admin.deleteShell(shellId).catch(() => undefined);
    await operator.deleteShell(operatorShell).catch(() => undefined);
    for (const client of [admin, operator, outsider]) client.close();
    await server.stop();
  };
});

/** A WS-Enumeration request in pypsrp's header layout (the one netexec sends through pypsrp). */
function enumerationEnvelope(action: string, body: string, resourceUri = SHELL_RESOURCE): { xml: string; messageId: string } {
  const messageId = `uuid:${randomUUID().toUpperCase()}`;
  const xml =
    `<s:Envelope xmlns:s="${NS.soap}" xmlns:wsa="${NS.addressing}" xmlns:wsman="${NS.wsman}" xmlns:wsmv="${NS.wsmv}" xmlns:wsen="${ENUMERATION}">` +
    '<s:Header>' +
    `<wsa:Action s:mustUnderstand="true">${action}</wsa:Action>` +
    '<wsmv:DataLocale s:mustUnderstand="false" xml:lang="en-US"/>' +
    '<wsman:Locale s:mustUnderstand="false" xml:lang="en-US"/>' +
    '<wsman:MaxEnvelopeSize s:mustUnderstand="true">153600</wsman:MaxEnvelopeSize>' +
    `<wsa:MessageID>${messageId}</wsa:MessageID>` +
    '<wsman:OperationTimeout>PT20S</wsman:OperationTimeout>' +
    '<wsa:ReplyTo><wsa:Address s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:Address></wsa:ReplyTo>' +
    `<wsman:ResourceURI s:mustUnderstand="true">${resourceUri}</wsman:ResourceURI>` +
    `<wsmv:SessionId s:mustUnderstand="false">uuid:${randomUUID().toUpperCase()}</wsmv:SessionId>` +
    `<wsa:To>https://127.0.0.1:${server.httpsPort}/wsman</wsa:To>` +
    `</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
  return { xml, messageId };
}

async function send(client: WsmanClient, action: string, body: string): Promise<unknown> {
  const envelope = enumerationEnvelope(action, body);
  return checkReply(await client.post(envelope.xml), envelope.messageId);
}

/** netexec's admin check, exactly as its request is shaped. */
const netexecCheck = (client: WsmanClient): Promise<unknown> =>
  send(client, ACTIONS.enumerate, '<wsen:Enumerate><wsman:OptimizeEnumeration/><wsman:MaxElements>32000</wsman:MaxElements></wsen:Enumerate>');

const enumerate = (client: WsmanClient, inner = ''): Promise<unknown> => send(client, ACTIONS.enumerate, `<wsen:Enumerate>${inner}</wsen:Enumerate>`);
const pull = (client: WsmanClient, context: string, maxElements?: number): Promise<unknown> =>
  send(
    client,
    ACTIONS.pull,
    `<wsen:Pull><wsen:EnumerationContext>${context}</wsen:EnumerationContext>${maxElements === undefined ? '' : `<wsen:MaxElements>${maxElements}</wsen:MaxElements>`}</wsen:Pull>`,
  );
const release = (client: WsmanClient, context: string): Promise<unknown> =>
  send(client, ACTIONS.release, `<wsen:Release><wsen:EnumerationContext>${context}</wsen:EnumerationContext></wsen:Release>`);

function shellIdsIn(items: unknown): string[] {
  return children(items, 'Shell').map((shell) => text(child(shell, 'ShellId')) ?? '');
}

function contextOf(doc: unknown, response: string): string | undefined {
  return text(path(doc, 'Envelope', 'Body', response, 'EnumerationContext'));
}

async function expectInvalidContext(promise: Promise<unknown>): Promise<void> {
  const fault = await expectWsmanFault(promise);
  expect([fault.status, fault.code, fault.subcode]).toEqual([500, INVALID_CONTEXT.code, INVALID_CONTEXT.subcode]);
  expect(text(path(parseXml(fault.body), 'Envelope', 'Header', 'Action'))).toBe(ACTIONS.enumerationFault);
}

describe('netexec’s admin check (optimized Enumerate of .../windows/shell, MaxElements 32000)', () => {
  it('succeeds for an Administrator and lists exactly their shells, ended in the one reply', async () => {
    const doc = await netexecCheck(admin);
    const response = path(doc, 'Envelope', 'Body', 'EnumerateResponse');
    expect(text(path(doc, 'Envelope', 'Header', 'Action'))).toBe(`${ACTIONS.enumerate}Response`);
    expect(shellIdsIn(child(response, 'Items')).sort()).toEqual([...adminShells].sort());
    expect(child(response, 'EndOfSequence')).toBeDefined();
    // Windows writes the context empty once the sequence has ended (pypsrp test_psrp_disconnect_runspaces.yml).
    expect(contextOf(doc, 'EnumerateResponse')).toBe('');
    // Each item is a full rsp:Shell, as a Get describes it.
    const first = children(child(response, 'Items'), 'Shell')[0];
    expect(text(child(first, 'Owner'))).toBe(ADMIN.name);
    expect(text(child(first, 'ResourceUri'))).toBe(`${SHELL_RESOURCE}/cmd`);
  });

  it('succeeds for a Remote Management User too, listing only their own shell (so netexec would say Pwn3d! as it does against Windows)', async () => {
    const doc = await netexecCheck(operator);
    expect(shellIdsIn(path(doc, 'Envelope', 'Body', 'EnumerateResponse', 'Items'))).toEqual([operatorShell]);
  });

  it('refuses a user outside both groups with HTTP 401 after authenticating, not with a fault, as Windows’ RootSDDL check does', async () => {
    const refusal = await netexecCheck(outsider).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(HttpStatusError);
    expect((refusal as HttpStatusError).status).toBe(401);
  });
});

describe('Enumerate, Pull and Release on the shell resource', () => {
  it('answers a plain Enumerate with a context only, then Pull hands out MaxElements at a time until EndOfSequence', async () => {
    const started = await enumerate(admin);
    const context = contextOf(started, 'EnumerateResponse');
    expect(context).toMatch(/\S/);
    expect(path(started, 'Envelope', 'Body', 'EnumerateResponse', 'Items')).toBeUndefined();

    const first = await pull(admin, context ?? '', 1);
    const firstResponse = path(first, 'Envelope', 'Body', 'PullResponse');
    expect(shellIdsIn(child(firstResponse, 'Items'))).toHaveLength(1);
    expect(child(firstResponse, 'EndOfSequence')).toBeUndefined();
    expect(contextOf(first, 'PullResponse')).toBe(context);

    const second = await pull(admin, context ?? '', 5);
    const secondResponse = path(second, 'Envelope', 'Body', 'PullResponse');
    const pulled = [...shellIdsIn(child(firstResponse, 'Items')), ...shellIdsIn(child(secondResponse, 'Items'))];
    expect(pulled.sort()).toEqual([...adminShells].sort());
    expect(child(secondResponse, 'EndOfSequence')).toBeDefined();

    // The sequence ended: its context is gone.
    await expectInvalidContext(pull(admin, context ?? ''));
  });

  it('pulls one item per Pull without MaxElements (DSP0226’s default)', async () => {
    const context = contextOf(await enumerate(admin), 'EnumerateResponse') ?? '';
    const first = await pull(admin, context);
    expect(shellIdsIn(path(first, 'Envelope', 'Body', 'PullResponse', 'Items'))).toHaveLength(1);
    await release(admin, context);
  });

  it('gives an optimized Enumerate with MaxElements 1 one item and a context for the rest', async () => {
    const doc = await enumerate(admin, '<wsman:OptimizeEnumeration/><wsman:MaxElements>1</wsman:MaxElements>');
    const response = path(doc, 'Envelope', 'Body', 'EnumerateResponse');
    expect(shellIdsIn(child(response, 'Items'))).toHaveLength(1);
    expect(child(response, 'EndOfSequence')).toBeUndefined();
    const context = contextOf(doc, 'EnumerateResponse') ?? '';
    const rest = await pull(admin, context, 10);
    expect(child(path(rest, 'Envelope', 'Body', 'PullResponse'), 'EndOfSequence')).toBeDefined();
  });

  it('releases a context, after which Pull and Release both fault', async () => {
    const context = contextOf(await enumerate(admin), 'EnumerateResponse') ?? '';
    const released = await release(admin, context);
    expect(text(path(released, 'Envelope', 'Header', 'Action'))).toBe(`${ACTIONS.release}Response`);
    await expectInvalidContext(pull(admin, context));
    await expectInvalidContext(release(admin, context));
  });

  it('faults a context it never issued, and another user’s context', async () => {
    await expectInvalidContext(pull(admin, `uuid:${randomUUID().toUpperCase()}`));
    const context = contextOf(await enumerate(admin), 'EnumerateResponse') ?? '';
    await expectInvalidContext(pull(operator, context));
    // Still alice's, untouched by rita's attempt.
    expect(shellIdsIn(path(await pull(admin, context, 10), 'Envelope', 'Body', 'PullResponse', 'Items'))).toHaveLength(2);
  });

  it('faults a context left idle beyond Service.EnumerationTimeoutms', async () => {
    const putTimeout = (ms: number): Promise<unknown> => {
      const ns = 'http://schemas.microsoft.com/wbem/wsman/1/config/service';
      return admin.soap({
        action: ACTIONS.put,
        resourceUri: ns,
        body: `<cfg:Service xmlns:cfg="${ns}"><cfg:EnumerationTimeoutms>${ms}</cfg:EnumerationTimeoutms></cfg:Service>`,
      });
    };
    await putTimeout(200);
    try {
      const context = contextOf(await enumerate(admin), 'EnumerateResponse') ?? '';
      await new Promise((resolve) => setTimeout(resolve, 600));
      await expectInvalidContext(pull(admin, context));
    } finally {
      await putTimeout(240000);
    }
  });

  it('refuses a filter on the shell resource with n:FilteringNotSupported', async () => {
    const fault = await expectWsmanFault(
      enumerate(admin, '<wsman:Filter Dialect="http://schemas.microsoft.com/wbem/wsman/1/WQL">select * from x</wsman:Filter>'),
    );
    expect([fault.status, fault.subcode]).toEqual([500, 'n:FilteringNotSupported']);
  });
});
