/**
 * The faults clients branch on, through the real server and our own client, checked field by
 * field against what Windows sends (recordings named in protocol/wsman/fault-catalogue.ts):
 * 170 for a second Receive on a running command, 2150858793 for a Receive that timed out,
 * 2150858843 for an unknown ShellId or CommandId, and the Reason's language.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectWsmanFault } from '../support/expect-helpers.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import { ACTION, WsmanClient, WsmanFaultError, attr, buildEnvelope, checkReply, child, parseXml, path, text } from '../support/wsman-client.js';

const ADMIN: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };

let server: RunningServer;
let client: WsmanClient;

beforeAll(async () => {
  server = await startServer({ users: [ADMIN] });
  client = new WsmanClient({ url: `https://127.0.0.1:${server.httpsPort}/wsman`, user: ADMIN.name, password: ADMIN.password });
  return async () => {
    client.close();
    await server.stop();
  };
});

interface FaultFields {
  code: string | undefined;
  subcode: string | undefined;
  reason: string | undefined;
  reasonLang: string | undefined;
  wsmanCode: string | undefined;
  message: string | undefined;
  provider: string | undefined;
  faultDetail: string | undefined;
  action: string | undefined;
}

/** Every field of a fault reply that a client reads (pywinrm, pypsrp, WinRb). */
function fieldsOf(error: WsmanFaultError): FaultFields {
  const doc = parseXml(error.body);
  const fault = path(doc, 'Envelope', 'Body', 'Fault');
  const wsmanFault = path(fault, 'Detail', 'WSManFault');
  const providerFault = path(wsmanFault, 'Message', 'ProviderFault');
  return {
    code: text(path(fault, 'Code', 'Value')),
    subcode: text(path(fault, 'Code', 'Subcode', 'Value')),
    reason: text(path(fault, 'Reason', 'Text')),
    reasonLang: attr(path(fault, 'Reason', 'Text'), 'lang'),
    wsmanCode: attr(wsmanFault, 'Code'),
    message: text(providerFault ?? child(wsmanFault, 'Message')),
    provider: attr(providerFault, 'provider'),
    faultDetail: text(path(fault, 'Detail', 'FaultDetail')),
    action: text(path(doc, 'Envelope', 'Header', 'Action')),
  };
}

const WSMAN_FAULT_ACTION = 'http://schemas.dmtf.org/wbem/wsman/1/wsman/fault';
const INVALID_SELECTORS_REASON = 'The WS-Management service cannot process the request because the request contained invalid selectors for the resource.';

async function withCommand<T>(commandLine: string, body: (shellId: string, commandId: string) => Promise<T>): Promise<T> {
  const shellId = await client.createShell();
  try {
    return await body(shellId, await client.runCommand(shellId, commandLine));
  } finally {
    await client.deleteShell(shellId).catch(() => undefined);
  }
}

describe('170: the resource is busy', () => {
  it('answers a second Receive on a command while another still waits, and the waiting one completes normally', async () => {
    await withCommand('sleep 2; echo finished', async (shellId, commandId) => {
      // Two Receives on the same command at once: whichever arrives second is refused, the other
      // waits for the output (no assumption on which reaches the server first).
      const first = client.receive(shellId, commandId, 10);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = client.receive(shellId, commandId, 10);
      const outcomes = await Promise.allSettled([first, second]);
      const refused = outcomes.filter((o) => o.status === 'rejected');
      const served = outcomes.filter((o) => o.status === 'fulfilled');
      expect(refused).toHaveLength(1);
      expect(served).toHaveLength(1);
      const error: unknown = refused[0]?.reason;
      expect(error).toBeInstanceOf(WsmanFaultError);
      expect(fieldsOf(error as WsmanFaultError)).toMatchObject({
        code: 's:Receiver',
        subcode: 'w:InternalError',
        wsmanCode: '170',
        message: 'The requested resource is in use.',
        reason: 'The requested resource is in use.',
        provider: 'Shell cmd plugin',
        action: WSMAN_FAULT_ACTION,
      });
      expect(served[0]?.value.stdout.toString()).toBe('finished\n');
    });
  });
});

describe('2150858793: the Receive timed out', () => {
  it('is s:Receiver / w:TimedOut with Windows’ text, related to the Receive', async () => {
    await withCommand('sleep 5', async (shellId, commandId) => {
      const envelope = buildEnvelope(client.receiveEnvelope(shellId, commandId, 1));
      const error = await expectWsmanFault(client.post(envelope.xml).then((reply) => checkReply(reply, envelope.messageId)));
      expect(error.relatesTo).toBe(envelope.messageId);
      expect(fieldsOf(error)).toMatchObject({
        code: 's:Receiver',
        subcode: 'w:TimedOut',
        wsmanCode: '2150858793',
        reason: 'The WS-Management service cannot complete the operation within the time specified in OperationTimeout.',
        reasonLang: 'en-US',
        provider: undefined,
        action: WSMAN_FAULT_ACTION,
      });
      // Windows' text ends with two spaces (recorded); clients that compare it whole see them.
      expect(error.body).toContain('within the time specified in OperationTimeout.  </s:Text>');
    });
  });
});

describe('2150858843: an unknown ShellId or CommandId', () => {
  it('names the missing ShellId in the Message under the generic selector Reason, with UnexpectedSelectors', async () => {
    const shellId = randomUUID().toUpperCase();
    const fields = fieldsOf(await expectWsmanFault(client.runCommand(shellId, 'true')));
    expect(fields).toMatchObject({
      code: 's:Sender',
      subcode: 'w:InvalidSelectors',
      wsmanCode: '2150858843',
      reason: INVALID_SELECTORS_REASON,
      faultDetail: 'http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/UnexpectedSelectors',
    });
    expect(fields.message).toContain(`The request for the Windows Remote Shell with ShellId ${shellId} failed because the shell was not found on the server.`);
  });

  it('gives WinRS’ command text for a CommandId the shell never ran', async () => {
    await withCommand('true', async (shellId) => {
      const fields = fieldsOf(await expectWsmanFault(client.receive(shellId, randomUUID().toUpperCase(), 5)));
      expect(fields).toMatchObject({ subcode: 'w:InvalidSelectors', wsmanCode: '2150858843', reason: INVALID_SELECTORS_REASON });
      expect(fields.message).toMatch(/^The Windows Remote Shell received a request to perform an operation on a command identifier that does not exist\./);
    });
  });
});

describe('the Reason’s language', () => {
  async function faultWithLocale(locale: string, mustUnderstand = 'false'): Promise<WsmanFaultError> {
    const envelope = buildEnvelope({ action: ACTION.delete, selectors: { ShellId: randomUUID().toUpperCase() } });
    const xml = envelope.xml.replace(
      '<wsman:Locale xml:lang="en-US" env:mustUnderstand="false"/>',
      `<wsman:Locale xml:lang="${locale}" env:mustUnderstand="${mustUnderstand}"/>`,
    );
    return expectWsmanFault(client.post(xml).then((reply) => checkReply(reply, envelope.messageId)));
  }

  it('is en-US for en-US, and en-US (saying so) for a language winrmd has no texts in', async () => {
    for (const locale of ['en-US', 'de-DE', 'zz-ZZ']) {
      const fields = fieldsOf(await faultWithLocale(locale));
      expect(fields.reasonLang, locale).toBe('en-US');
      expect(fields.reason, locale).toBe(INVALID_SELECTORS_REASON);
    }
  });

  it('refuses a Locale marked mustUnderstand="true" with w:UnsupportedFeature', async () => {
    const fields = fieldsOf(await faultWithLocale('de-DE', 'true'));
    expect(fields).toMatchObject({
      subcode: 'w:UnsupportedFeature',
      wsmanCode: '2150858887',
      faultDetail: 'http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/Locale',
    });
  });
});
