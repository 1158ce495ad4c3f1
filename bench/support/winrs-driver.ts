/**
 * The WinRS calls a client makes to run one command and collect its output, over any SoapTransport.
 * Requests come from the test client's envelope builder. Receive replies are read with a few
 * regular expressions and indexOf instead of an XML parser: a full parse of every ~150 KB reply would be client
 * cost that swamps the difference between the transports being compared.
 */
import { ACTION, TIMED_OUT_CODE, buildEnvelope, escapeXml, parseXml, path, text, type EnvelopeOptions } from '../../test/support/wsman-xml.js';
import type { SoapTransport } from './soap-transports.js';

const SIGNAL_TERMINATE = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate';
/** A Stream start tag; its base64 content is skipped with indexOf, never scanned by a pattern. */
const STREAM_START = /<(?:[\w-]+:)?Stream\b([^>]*)>/g;
const DONE = /<(?:[\w-]+:)?CommandState\b[^>]*State="[^"]*\/CommandState\/Done"/;
const EXIT_CODE = /<(?:[\w-]+:)?ExitCode>(-?\d+)</;

/** Envelope settings a caller may change; the defaults are pywinrm's. */
export interface DriverOptions {
  /** wsman:MaxEnvelopeSize in bytes: how large a Receive reply the server may send. */
  readonly maxEnvelopeSize?: number;
}

export interface DrainResult {
  readonly stdoutBytes: number;
  /** SOAP bytes of all Receive replies, as the client saw them after unsealing. */
  readonly soapBytes: number;
  readonly exitCode: number;
}

/** Sends an envelope and returns the 200 reply text; any other status is an error. */
async function call(transport: SoapTransport, options: EnvelopeOptions, driver: DriverOptions = {}): Promise<string> {
  const reply = await transport.exchange(buildEnvelope(withDriverOptions(options, driver)).xml);
  if (reply.status !== 200) throw new Error(`HTTP ${reply.status}: ${reply.text.slice(0, 300)}`);
  return reply.text;
}

function withDriverOptions(options: EnvelopeOptions, driver: DriverOptions): EnvelopeOptions {
  return driver.maxEnvelopeSize === undefined ? options : { ...options, maxEnvelopeSize: driver.maxEnvelopeSize };
}

export async function createShell(transport: SoapTransport, driver: DriverOptions = {}): Promise<string> {
  const xml = await call(transport, {
    action: ACTION.create,
    options: { WINRS_NOPROFILE: 'FALSE', WINRS_CODEPAGE: '65001' },
    body: '<shell:Shell><shell:InputStreams>stdin</shell:InputStreams><shell:OutputStreams>stdout stderr</shell:OutputStreams></shell:Shell>',
  }, driver);
  const id = text(path(parseXml(xml), 'Envelope', 'Body', 'Shell', 'ShellId'));
  if (id === undefined || id === '') throw new Error('CreateResponse without a ShellId');
  return id;
}

export async function deleteShell(transport: SoapTransport, shellId: string, driver: DriverOptions = {}): Promise<void> {
  await call(transport, { action: ACTION.delete, selectors: { ShellId: shellId } }, driver);
}

/**
 * `consoleStdin`: pywinrm asks for a console on every Command (the default here); a client that
 * pipes data into stdin asks for a pipe, as Ansible does, since a console's input is line-oriented.
 */
export async function runCommand(transport: SoapTransport, shellId: string, commandLine: string, driver: DriverOptions = {}, consoleStdin = true): Promise<string> {
  const xml = await call(transport, {
    action: ACTION.command,
    selectors: { ShellId: shellId },
    options: { WINRS_CONSOLEMODE_STDIN: consoleStdin ? 'TRUE' : 'FALSE', WINRS_SKIP_CMD_SHELL: 'FALSE' },
    body: `<shell:CommandLine><shell:Command>${escapeXml(commandLine)}</shell:Command></shell:CommandLine>`,
  }, driver);
  const id = text(path(parseXml(xml), 'Envelope', 'Body', 'CommandResponse', 'CommandId'));
  if (id === undefined || id === '') throw new Error('CommandResponse without a CommandId');
  return id;
}

/** Receives until CommandState Done, asking again after a w:TimedOut fault as every client does. */
export async function drainOutput(transport: SoapTransport, shellId: string, commandId: string, driver: DriverOptions = {}): Promise<DrainResult> {
  const receive = withDriverOptions(buildReceive(shellId, commandId), driver);
  let stdoutBytes = 0;
  let soapBytes = 0;
  for (;;) {
    const reply = await transport.exchange(buildEnvelope(receive).xml);
    if (reply.status === 500 && reply.text.includes(String(TIMED_OUT_CODE))) continue;
    if (reply.status !== 200) throw new Error(`Receive: HTTP ${reply.status}: ${reply.text.slice(0, 300)}`);
    soapBytes += Buffer.byteLength(reply.text, 'utf8');
    const { stdoutBase64Bytes, rest } = scanStreams(reply.text);
    stdoutBytes += stdoutBase64Bytes;
    if (DONE.test(rest)) {
      const exitCode = Number(EXIT_CODE.exec(rest)?.[1] ?? Number.NaN);
      return { stdoutBytes, soapBytes, exitCode };
    }
  }
}

/**
 * The decoded size of the stdout Streams of a ReceiveResponse, and the text after the last Stream
 * (where CommandState is). Linear in the reply and cheap: the client must not be what is measured.
 */
function scanStreams(xml: string): { stdoutBase64Bytes: number; rest: string } {
  let bytes = 0;
  let end = 0;
  STREAM_START.lastIndex = 0;
  for (let match = STREAM_START.exec(xml); match !== null; match = STREAM_START.exec(xml)) {
    const contentStart = STREAM_START.lastIndex;
    if (match[1]?.endsWith('/') === true) {
      end = contentStart;
      continue;
    }
    const contentEnd = xml.indexOf('<', contentStart);
    if (contentEnd < 0) break;
    // byteLength of base64 is the decoded size, without decoding.
    if (/\bName="stdout"/.test(match[1] ?? '')) bytes += Buffer.byteLength(xml.slice(contentStart, contentEnd), 'base64');
    end = contentEnd;
    STREAM_START.lastIndex = contentEnd;
  }
  return { stdoutBase64Bytes: bytes, rest: xml.slice(end) };
}

/** [MS-WSMV 3.1.4.14]: a client ends every command with Signal terminate. */
export async function terminate(transport: SoapTransport, shellId: string, commandId: string, driver: DriverOptions = {}): Promise<void> {
  await call(transport, {
    action: ACTION.signal,
    selectors: { ShellId: shellId },
    body: `<shell:Signal CommandId="${escapeXml(commandId)}"><shell:Code>${SIGNAL_TERMINATE}</shell:Code></shell:Signal>`,
  }, driver);
}

/** One Send of stdin; `end` closes the command's stdin after these bytes. The reply comes once they are written. */
export async function sendInput(transport: SoapTransport, shellId: string, commandId: string, data: Buffer, end: boolean, driver: DriverOptions = {}): Promise<void> {
  await call(transport, {
    action: ACTION.send,
    selectors: { ShellId: shellId },
    body: `<shell:Send><shell:Stream Name="stdin" CommandId="${escapeXml(commandId)}"${end ? ' End="true"' : ''}>${data.toString('base64')}</shell:Stream></shell:Send>`,
  }, driver);
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
