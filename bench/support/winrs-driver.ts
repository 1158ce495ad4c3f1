/**
 * The WinRS calls a client makes to run one command and collect its output, over any SoapTransport.
 * Requests come from the test client's envelope builder. Replies are read with a few regular
 * expressions and indexOf instead of an XML parser: a full parse (with validation, about 0.3 ms
 * for a small reply, more for every ~150 KB Receive) would be client cost that swamps the
 * difference between the transports being compared, and the server's time on a short request.
 */
import { ACTION, TIMED_OUT_CODE, buildEnvelope, escapeXml, type EnvelopeOptions } from '../../test/support/wsman-xml.js';
import { ReplyText } from '../../protocol/xml/reply-text.js';
import type { PreparedRequest, SoapReply, SoapTransport } from './soap-transports.js';

const SIGNAL_TERMINATE = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate';
const DONE = /<(?:[\w-]+:)?CommandState\b[^>]*State="[^"]*\/CommandState\/Done"/;
const EXIT_CODE = /<(?:[\w-]+:)?ExitCode>(-?\d+)</;
/** The ids in a CreateResponse's Shell and a CommandResponse (GUIDs: no markup or references inside). */
const SHELL_ID = /<(?:[\w-]+:)?Shell\b[^>]*>[^]*?<(?:[\w-]+:)?ShellId>([^<]+)</;
const COMMAND_ID = /<(?:[\w-]+:)?CommandResponse\b[^>]*>\s*<(?:[\w-]+:)?CommandId>([^<]+)</;

/** Envelope settings a caller may change; the defaults are pywinrm's. */
export interface DriverOptions {
  /** wsman:MaxEnvelopeSize in bytes: how large a Receive reply the server may send. */
  readonly maxEnvelopeSize?: number;
  /**
   * Whether the shell reads the user's login profile before each command line (WINRS_NOPROFILE
   * FALSE, pywinrm's default; the default here); false sends TRUE, as `winrs -noprofile` does.
   */
  readonly loginProfile?: boolean;
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
    options: { WINRS_NOPROFILE: driver.loginProfile === false ? 'TRUE' : 'FALSE', WINRS_CODEPAGE: '65001' },
    body: '<shell:Shell><shell:InputStreams>stdin</shell:InputStreams><shell:OutputStreams>stdout stderr</shell:OutputStreams></shell:Shell>',
  }, driver);
  const id = SHELL_ID.exec(xml)?.[1];
  if (id === undefined) throw new Error('CreateResponse without a ShellId');
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
  const id = COMMAND_ID.exec(xml)?.[1];
  if (id === undefined) throw new Error('CommandResponse without a CommandId');
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
    soapBytes += reply.body.length;
    const { stdoutBase64Bytes, rest } = scanStreams(reply.body);
    stdoutBytes += stdoutBase64Bytes;
    if (DONE.test(rest)) {
      const exitCode = Number(EXIT_CODE.exec(rest)?.[1] ?? Number.NaN);
      return { stdoutBytes, soapBytes, exitCode };
    }
  }
}

/**
 * The decoded size of the stdout Streams of a ReceiveResponse, and the text after the last Stream
 * (where CommandState is). Reads the reply's bytes: only the small start tags and the tail become
 * strings, since decoding a half-megabyte reply to text would be client cost the benchmark measures.
 */
function scanStreams(body: Buffer): { stdoutBase64Bytes: number; rest: string } {
  let bytes = 0;
  let end = 0;
  for (let at = body.indexOf(STREAM_NAME); at >= 0; at = body.indexOf(STREAM_NAME, end)) {
    const tagStart = body.lastIndexOf(LT, at);
    const tagEnd = body.indexOf(GT, at);
    if (tagStart < 0 || tagEnd < 0) break;
    const tag = STREAM_TAG.exec(body.toString('latin1', tagStart, tagEnd + 1));
    if (tag === null) {
      end = at + STREAM_NAME.length;
      continue;
    }
    const contentStart = tagEnd + 1;
    if (tag[1]?.endsWith('/') === true) {
      end = contentStart;
      continue;
    }
    const contentEnd = body.indexOf(LT, contentStart);
    if (contentEnd < 0) break;
    if (/\bName="stdout"/.test(tag[1] ?? '')) bytes += base64DecodedLength(body, contentStart, contentEnd);
    end = contentEnd;
  }
  return { stdoutBase64Bytes: bytes, rest: body.toString('utf8', end) };
}

const STREAM_NAME = 'Stream';
const LT = 0x3c;
const GT = 0x3e;
/** A whole Stream start tag, from `<` to `>`; group 1 is its attributes. */
const STREAM_TAG = /^<(?:[\w-]+:)?Stream\b([^>]*)>$/;
const EQUALS = 0x3d;

/** The size of what a run of base64 (no white space, as servers send it) decodes to. */
export function base64DecodedLength(body: Buffer, start: number, end: number): number {
  const length = end - start;
  const padding = length === 0 ? 0 : (body[end - 1] === EQUALS ? 1 : 0) + (body[end - 2] === EQUALS ? 1 : 0);
  return (length / 4) * 3 - padding;
}

/** [MS-WSMV 3.1.4.14]: a client ends every command with Signal terminate. */
export async function terminate(transport: SoapTransport, shellId: string, commandId: string, driver: DriverOptions = {}): Promise<void> {
  await call(transport, {
    action: ACTION.signal,
    selectors: { ShellId: shellId },
    body: `<shell:Signal CommandId="${escapeXml(commandId)}"><shell:Code>${SIGNAL_TERMINATE}</shell:Code></shell:Signal>`,
  }, driver);
}

/**
 * Sends `pieces` as stdin, one Send after another, the last with End (which closes the command's
 * stdin after its bytes); each reply comes once the bytes are written. Each Send is built and
 * sealed while the server works on the one before, as ssh's client encrypts its next data while
 * sshd handles the last, so the client's own work stays off the chain of waits.
 */
export async function streamInput(transport: SoapTransport, shellId: string, commandId: string, pieces: readonly Buffer[], driver: DriverOptions = {}): Promise<void> {
  // No input at all is still one Send, with End, so that the command sees its stdin close.
  const all = pieces.length === 0 ? [Buffer.alloc(0)] : pieces;
  const prepare = (index: number): PreparedRequest =>
    transport.prepare(sendEnvelope(shellId, commandId, all[index] ?? Buffer.alloc(0), index === all.length - 1, driver));
  let request = prepare(0);
  for (let index = 0; index < all.length; index++) {
    const reply = transport.send(request);
    // Awaited below; handled now in case preparing the next one throws first.
    reply.catch(() => undefined);
    if (index + 1 < all.length) request = prepare(index + 1);
    checkSendReply(await reply);
  }
}

/**
 * One Send: the envelope is built around a marker and the data's base64 written into its bytes in
 * pieces (protocol/xml/reply-text.ts), as a lean client would: half a megabyte of base64 as one
 * string, then the envelope as another, then its UTF-8, is client cost the stdin row would measure.
 */
function sendEnvelope(shellId: string, commandId: string, data: Buffer, end: boolean, driver: DriverOptions): Buffer {
  const envelope = buildEnvelope(
    withDriverOptions(
      {
        action: ACTION.send,
        selectors: { ShellId: shellId },
        body: `<shell:Send><shell:Stream Name="stdin" CommandId="${escapeXml(commandId)}"${end ? ' End="true"' : ''}>${DATA_MARKER}</shell:Stream></shell:Send>`,
      },
      driver,
    ),
  ).xml;
  const at = envelope.indexOf(DATA_MARKER);
  return ReplyText.join([envelope.slice(0, at), ReplyText.base64(data), envelope.slice(at + DATA_MARKER.length)]).toUtf8();
}

function checkSendReply(reply: SoapReply): void {
  if (reply.status !== 200) throw new Error(`Send: HTTP ${reply.status}: ${reply.text.slice(0, 300)}`);
}

/** Where Send's base64 goes; not a character sequence the rest of an envelope holds. */
const DATA_MARKER = '\u0000data\u0000';

function buildReceive(shellId: string, commandId: string): EnvelopeOptions {
  return {
    action: ACTION.receive,
    selectors: { ShellId: shellId },
    options: { WSMAN_CMDSHELL_OPTION_KEEPALIVE: 'TRUE' },
    operationTimeout: 'PT20S',
    body: `<shell:Receive><shell:DesiredStream CommandId="${escapeXml(commandId)}">stdout stderr</shell:DesiredStream></shell:Receive>`,
  };
}
