/**
 * The WinRS calls a client makes to run one command and collect its output, over any SoapTransport.
 * Requests come from the test client's envelope builder. Receive replies are read with a few
 * regular expressions instead of an XML parser: a full parse of every ~150 KB reply would be client
 * cost that swamps the difference between the transports being compared.
 */
import { ACTION, TIMED_OUT_CODE, buildEnvelope, escapeXml, parseXml, path, text, type EnvelopeOptions } from '../../test/support/wsman-xml.js';
import type { SoapTransport } from './soap-transports.js';

const SIGNAL_TERMINATE = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate';
const STREAM = /<(?:[\w-]+:)?Stream\b([^>]*)>([^<]*)<\/(?:[\w-]+:)?Stream>/g;
const DONE = /<(?:[\w-]+:)?CommandState\b[^>]*State="[^"]*\/CommandState\/Done"/;
const EXIT_CODE = /<(?:[\w-]+:)?ExitCode>(-?\d+)</;

export interface DrainResult {
  readonly stdoutBytes: number;
  /** SOAP bytes of all Receive replies, as the client saw them after unsealing. */
  readonly soapBytes: number;
  readonly exitCode: number;
}

/** Sends an envelope and returns the 200 reply text; any other status is an error. */
async function call(transport: SoapTransport, options: EnvelopeOptions): Promise<string> {
  const reply = await transport.exchange(buildEnvelope(options).xml);
  if (reply.status !== 200) throw new Error(`HTTP ${reply.status}: ${reply.text.slice(0, 300)}`);
  return reply.text;
}

export async function createShell(transport: SoapTransport): Promise<string> {
  const xml = await call(transport, {
    action: ACTION.create,
    options: { WINRS_NOPROFILE: 'FALSE', WINRS_CODEPAGE: '65001' },
    body: '<shell:Shell><shell:InputStreams>stdin</shell:InputStreams><shell:OutputStreams>stdout stderr</shell:OutputStreams></shell:Shell>',
  });
  const id = text(path(parseXml(xml), 'Envelope', 'Body', 'Shell', 'ShellId'));
  if (id === undefined || id === '') throw new Error('CreateResponse without a ShellId');
  return id;
}

export async function deleteShell(transport: SoapTransport, shellId: string): Promise<void> {
  await call(transport, { action: ACTION.delete, selectors: { ShellId: shellId } });
}

export async function runCommand(transport: SoapTransport, shellId: string, commandLine: string): Promise<string> {
  const xml = await call(transport, {
    action: ACTION.command,
    selectors: { ShellId: shellId },
    options: { WINRS_CONSOLEMODE_STDIN: 'TRUE', WINRS_SKIP_CMD_SHELL: 'FALSE' },
    body: `<shell:CommandLine><shell:Command>${escapeXml(commandLine)}</shell:Command></shell:CommandLine>`,
  });
  const id = text(path(parseXml(xml), 'Envelope', 'Body', 'CommandResponse', 'CommandId'));
  if (id === undefined || id === '') throw new Error('CommandResponse without a CommandId');
  return id;
}

/** Receives until CommandState Done, asking again after a w:TimedOut fault as every client does. */
export async function drainOutput(transport: SoapTransport, shellId: string, commandId: string): Promise<DrainResult> {
  const receive = buildReceive(shellId, commandId);
  let stdoutBytes = 0;
  let soapBytes = 0;
  for (;;) {
    const reply = await transport.exchange(buildEnvelope(receive).xml);
    if (reply.status === 500 && reply.text.includes(String(TIMED_OUT_CODE))) continue;
    if (reply.status !== 200) throw new Error(`Receive: HTTP ${reply.status}: ${reply.text.slice(0, 300)}`);
    soapBytes += Buffer.byteLength(reply.text, 'utf8');
    for (const match of reply.text.matchAll(STREAM)) {
      // byteLength of base64 is the decoded size, without decoding.
      if (/\bName="stdout"/.test(match[1] ?? '')) stdoutBytes += Buffer.byteLength(match[2] ?? '', 'base64');
    }
    if (DONE.test(reply.text)) {
      const exitCode = Number(EXIT_CODE.exec(reply.text)?.[1] ?? Number.NaN);
      return { stdoutBytes, soapBytes, exitCode };
    }
  }
}

/** [MS-WSMV 3.1.4.14]: a client ends every command with Signal terminate. */
export async function terminate(transport: SoapTransport, shellId: string, commandId: string): Promise<void> {
  await call(transport, {
    action: ACTION.signal,
    selectors: { ShellId: shellId },
    body: `<shell:Signal CommandId="${escapeXml(commandId)}"><shell:Code>${SIGNAL_TERMINATE}</shell:Code></shell:Signal>`,
  });
}

function buildReceive(shellId: string, commandId: string): EnvelopeOptions {
  return {
    action: ACTION.receive,
    selectors: { ShellId: shellId },
    options: { WSMAN_CMDSHELL_OPTION_KEEPALIVE: 'TRUE' },
    operationTimeout: 'PT20S',
    body: `<shell:Receive><shell:DesiredStream CommandId="${escapeXml(commandId)}">stdout stderr</shell:DesiredStream></shell:Receive>`,
  };
}
