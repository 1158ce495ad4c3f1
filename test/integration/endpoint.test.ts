/**
 * The core endpoint over HTTPS with Basic auth, driven by the independent test client:
 * Identify, the HTTP surface, keep-alive and the WinRS shell life cycle (notes §1, §7, §8.1, §9).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectWsmanFault, isAlive } from '../support/expect-helpers.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import {
  ACTION,
  HttpStatusError,
  WsmanClient,
  attr,
  buildEnvelope,
  buildIdentify,
  checkReply,
  children,
  path,
  text,
} from '../support/wsman-client.js';

/** Expected faults (notes §9); adjust here if the server settles on other values. */
const FAULTS = {
  timedOut: { subcode: 'w:TimedOut', code: 2150858793 },
  unknownCommand: { subcode: 'w:InvalidSelectors', code: 2150858843 },
  unknownShell: { subcode: 'w:InvalidSelectors', code: 2150858843 },
} as const;

const WSMAN_PROTOCOL_VERSION = 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd';
const SECPROFILE = 'http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile';
const SERVER_HEADER = 'Microsoft-HTTPAPI/2.0';

const ADMIN: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };

let server: RunningServer;
let url: string;
let client: WsmanClient;
let anonymous: WsmanClient;

beforeAll(async () => {
  server = await startServer({ users: [ADMIN] });
  url = `https://127.0.0.1:${server.httpsPort}/wsman`;
  client = new WsmanClient({ url, user: ADMIN.name, password: ADMIN.password });
  anonymous = new WsmanClient({ url });
  return async () => {
    client.close();
    anonymous.close();
    await server.stop();
  };
});

/** The server's `request` log lines so far (those at its log level, info). */
function requestLines(): { level: number; user?: string; action?: string; status?: number }[] {
  return server
    .logs()
    .filter((line) => line.includes('"event":"request"'))
    .map((line) => JSON.parse(line) as { level: number; user?: string; action?: string; status?: number });
}

/** Runs `body` with a fresh shell and deletes the shell afterwards. */
async function withShell<T>(body: (shellId: string) => Promise<T>): Promise<T> {
  const shellId = await client.createShell();
  try {
    return await body(shellId);
  } finally {
    await client.deleteShell(shellId).catch(() => undefined);
  }
}

describe('Identify', () => {
  it('answers without credentials when WSMANIDENTIFY: unauthenticated is sent', async () => {
    const identity = await anonymous.identify({ WSMANIDENTIFY: 'unauthenticated' });
    expect(identity.protocolVersion).toBe(WSMAN_PROTOCOL_VERSION);
    expect(identity.productVendor).toMatch(/\S/);
    expect(identity.securityProfiles).toBeUndefined();
  });

  it('logs an anonymous Identify at debug only, an authenticated one at info', async () => {
    const before = requestLines().length;
    await anonymous.identify({ WSMANIDENTIFY: 'unauthenticated' });
    await client.identify();
    // The line is written after the reply went out.
    await eventually(() => requestLines().length > before);
    const lines = requestLines().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, user: ADMIN.name });
  });

  it('needs credentials without that header', async () => {
    await expect(anonymous.identify()).rejects.toMatchObject({ status: 401 });
  });

  it('lists the security profiles when authenticated', async () => {
    const identity = await client.identify();
    expect(identity.protocolVersion).toBe(WSMAN_PROTOCOL_VERSION);
    expect(identity.productVendor).toMatch(/\S/);
    expect(identity.securityProfiles).toContain(`${SECPROFILE}/https/basic`);
  });
});

describe('the request log', () => {
  it('logs a successful Receive or Send at debug only; the Command, a Receive fault and the Signal at info', async () => {
    await withShell(async (shellId) => {
      const commandId = await client.runCommand(shellId, 'cat', [], false);
      const before = requestLines().length;
      await client.send(shellId, commandId, Buffer.from('echoed\n'), true);
      const result = await client.receiveAll(shellId, commandId);
      expect(result.stdout.toString()).toBe('echoed\n');
      await client.signal(shellId, commandId, 'terminate');
      const sleeper = await client.runCommand(shellId, 'sleep', ['30'], false);
      expect((await expectWsmanFault(client.receive(shellId, sleeper, 1))).code).toBe(FAULTS.timedOut.code);
      await client.signal(shellId, sleeper, 'terminate');
      await eventually(() => requestLines().slice(before).filter((line) => line.action?.endsWith('/Signal') === true).length === 2);
      const actions = requestLines()
        .slice(before)
        .map((line) => `${line.action?.slice(line.action.lastIndexOf('/') + 1) ?? ''} ${String(line.status)}`);
      expect(actions.filter((action) => action.startsWith('Send ') || action === 'Receive 200')).toEqual([]);
      expect(actions).toContain('Signal 200');
      expect(actions).toContain('Receive 500');
    });
  });
});

describe('HTTP surface', () => {
  it('challenges a request without credentials with 401 and Basic realm="WSMAN"', async () => {
    const reply = await anonymous.post(buildEnvelope({ action: ACTION.create, body: '<shell:Shell/>' }).xml);
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate'] ?? '').toContain('Basic realm="WSMAN"');
    expect(reply.body).toBe('');
  });

  it('answers GET /wsman with 405 and the Windows Server header', async () => {
    const reply = await client.request('GET', '');
    expect(reply.status).toBe(405);
    expect(reply.headers['server']).toBe(SERVER_HEADER);
  });

  it('answers POST /other with 404 and the Windows Server header', async () => {
    const reply = await client.request('POST', buildEnvelope({ action: ACTION.create }).xml, {}, '/other');
    expect(reply.status).toBe(404);
    expect(reply.headers['server']).toBe(SERVER_HEADER);
  });

  it('keeps the connection alive across requests', async () => {
    const keepAlive = new WsmanClient({ url, user: ADMIN.name, password: ADMIN.password });
    try {
      const replies = [];
      for (let i = 0; i < 4; i++) {
        const reply = await keepAlive.post(buildIdentify());
        expect(reply.status).toBe(200);
        expect(reply.headers.connection ?? '').not.toMatch(/close/i);
        replies.push(reply);
      }
      expect(replies.map((r) => r.reusedSocket)).toEqual([false, true, true, true]);
    } finally {
      keepAlive.close();
    }
  });
});

describe('shell life cycle', () => {
  it('creates a shell, runs commands in it, and deletes it', async () => {
    const created = buildEnvelope({
      action: ACTION.create,
      options: { WINRS_NOPROFILE: 'FALSE', WINRS_CODEPAGE: '65001' },
      body:
        '<shell:Shell><shell:WorkingDirectory>/tmp</shell:WorkingDirectory>' +
        '<shell:Environment><shell:Variable Name="WINRMD_TEST_VAR">from &lt;create&gt;</shell:Variable></shell:Environment>' +
        '<shell:InputStreams>stdin</shell:InputStreams><shell:OutputStreams>stdout stderr</shell:OutputStreams></shell:Shell>',
    });
    const doc = checkReply(await client.post(created.xml), created.messageId);
    const body = path(doc, 'Envelope', 'Body');
    // pypsrp reads rsp:Shell/rsp:ShellId, pywinrm the Selector: both must be there and agree (notes §7.1).
    const shellId = text(path(body, 'Shell', 'ShellId')) ?? '';
    const selector = children(path(body, 'ResourceCreated', 'ReferenceParameters', 'SelectorSet'), 'Selector').find(
      (s) => attr(s, 'Name') === 'ShellId',
    );
    expect(shellId).toMatch(/\S/);
    expect(text(selector)?.toLowerCase()).toBe(shellId.toLowerCase());

    const first = await client.run(shellId, 'echo "$WINRMD_TEST_VAR"; pwd');
    expect(first.stdout.toString()).toBe('from <create>\n/tmp\n');
    expect(first.exitCode).toBe(0);

    const second = await client.run(shellId, 'printf', ['%s-%s', 'a', 'b']);
    expect(second.stdout.toString()).toBe('a-b');

    const failing = await client.run(shellId, 'echo oops >&2; exit 7');
    expect(failing.stderr.toString()).toBe('oops\n');
    expect(failing.exitCode).toBe(7);

    // Stdin through Send, in two pieces, the second with End="true".
    const cat = await client.runCommand(shellId, 'cat');
    await client.send(shellId, cat, Buffer.from('one\n'));
    await client.send(shellId, cat, Buffer.from('two\n'), true);
    const catOut = await client.receiveAll(shellId, cat);
    expect(catOut.stdout.toString()).toBe('one\ntwo\n');
    expect(catOut.exitCode).toBe(0);

    await client.deleteShell(shellId);
    const gone = await expectWsmanFault(client.runCommand(shellId, 'echo too late'));
    expect(gone.status).toBe(500);
    expect(gone.code).toBe(FAULTS.unknownShell.code);
  });

  it('faults a Receive that outlives OperationTimeout with w:TimedOut, then finishes normally', async () => {
    await withShell(async (shellId) => {
      const commandId = await client.runCommand(shellId, 'sleep 5');
      const envelope = buildEnvelope(client.receiveEnvelope(shellId, commandId, 1));
      const started = Date.now();
      const fault = await expectWsmanFault(client.post(envelope.xml).then((reply) => checkReply(reply, envelope.messageId)));
      expect(Date.now() - started).toBeLessThan(4000);
      expect(fault.status).toBe(500);
      expect(fault.subcode).toBe(FAULTS.timedOut.subcode);
      expect(fault.code).toBe(FAULTS.timedOut.code);
      expect(fault.relatesTo?.toLowerCase()).toBe(envelope.messageId.toLowerCase());

      const rest = await client.receiveAll(shellId, commandId);
      expect(rest.exitCode).toBe(0);
    });
  });

  it('ends a running command with Signal ctrl_c', async () => {
    await withShell(async (shellId) => {
      const commandId = await client.runCommand(shellId, 'sleep 100');
      // Wait for one timed-out Receive so the process is surely running.
      await expectWsmanFault(client.receive(shellId, commandId, 1));
      const started = Date.now();
      await client.signal(shellId, commandId, 'ctrl_c');
      const result = await client.receiveAll(shellId, commandId);
      expect(result.done).toBe(true);
      expect(result.exitCode).not.toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });

  it('forgets a command after Signal terminate', async () => {
    await withShell(async (shellId) => {
      const commandId = await client.runCommand(shellId, 'sleep 100');
      await client.signal(shellId, commandId, 'terminate');
      const fault = await expectWsmanFault(client.receive(shellId, commandId, 5));
      expect(fault.status).toBe(500);
      expect(fault.subcode).toBe(FAULTS.unknownCommand.subcode);
      expect(fault.code).toBe(FAULTS.unknownCommand.code);
    });
  });

  it('kills the processes of a shell on Delete', async () => {
    const shellId = await client.createShell();
    // The shell's own PID, then that of a background child.
    const commandId = await client.runCommand(shellId, 'echo $$; sleep 100 & echo $!; wait');
    let output = '';
    while (output.split('\n').length < 3) {
      const part = await client.receive(shellId, commandId, 5);
      output += part.stdout.toString();
      expect(part.done).toBe(false);
    }
    const pids = output.trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    expect(pids.every((pid) => Number.isInteger(pid) && pid > 1 && isAlive(pid))).toBe(true);

    await client.deleteShell(shellId);
    // isAlive is process.kill(pid, 0) that also counts a zombie as gone: the orphaned background
    // child is reparented to PID 1, which in a container may never reap it.
    expect(await eventually(() => pids.every((pid) => !isAlive(pid))), `PIDs ${pids.join(' ')} still alive`).toBe(true);
  });
});

describe('UTF-16 envelopes', () => {
  function utf16Create(): { body: Buffer; messageId: string } {
    const envelope = buildEnvelope({
      action: ACTION.create,
      body: '<shell:Shell><shell:InputStreams>stdin</shell:InputStreams><shell:OutputStreams>stdout stderr</shell:OutputStreams></shell:Shell>',
    });
    const xml = envelope.xml.replace('encoding="utf-8"', 'encoding="utf-16"');
    return { body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]), messageId: envelope.messageId };
  }

  it('accepts a UTF-16LE envelope with a BOM', async () => {
    const request = utf16Create();
    const reply = await client.post(request.body, { 'Content-Type': 'application/soap+xml;charset=UTF-16' });
    expect(reply.status).toBe(200);
    const doc = checkReply(reply, request.messageId);
    const shellId = text(path(doc, 'Envelope', 'Body', 'Shell', 'ShellId')) ?? '';
    expect(shellId).toMatch(/\S/);
    try {
      const result = await client.run(shellId, 'echo utf16');
      expect(result.stdout.toString()).toBe('utf16\n');
    } finally {
      await client.deleteShell(shellId);
    }
  });

  it('answers a UTF-16 request in UTF-16 (notes §1.1)', async () => {
    const request = utf16Create();
    const reply = await client.post(request.body, { 'Content-Type': 'application/soap+xml;charset=UTF-16' });
    expect(reply.status).toBe(200);
    expect(String(reply.headers['content-type'])).toMatch(/charset=("?)utf-16/i);
    const doc = checkReply(reply, request.messageId);
    const shellId = text(path(doc, 'Envelope', 'Body', 'Shell', 'ShellId')) ?? '';
    await client.deleteShell(shellId);
  });
});

describe('credentials', () => {
  it('rejects a wrong password with 401', async () => {
    const wrong = new WsmanClient({ url, user: ADMIN.name, password: 'not-the-password' });
    try {
      const err = await wrong.createShell().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HttpStatusError);
      expect(err).toMatchObject({ status: 401 });
    } finally {
      wrong.close();
    }
  });
});
