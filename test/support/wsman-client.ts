/**
 * A small WS-Management / WinRS client over node:http(s) with Basic auth and a keep-alive agent,
 * for integration tests. Written from the protocol notes; it shares no code with the server.
 */
import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import {
  ACTION,
  COMMAND_STATE_DONE,
  SIGNAL_PREFIX,
  TIMED_OUT_CODE,
  attr,
  buildEnvelope,
  buildIdentify,
  child,
  children,
  escapeXml,
  faultOf,
  parseXml,
  path,
  text,
  type EnvelopeOptions,
} from './wsman-xml.js';

export * from './wsman-xml.js';

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body decoded as UTF-8, or as UTF-16 when the reply says so (or starts with a UTF-16 BOM). */
  body: string;
  rawBody: Buffer;
  /** Whether the request went over a socket an earlier request had used (keep-alive). */
  reusedSocket: boolean;
}

/** A SOAP fault reply (any non-200 status with an s:Fault body). */
export class WsmanFaultError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    readonly subcode: string | undefined,
    readonly reason: string | undefined,
    readonly relatesTo: string | undefined,
    readonly body: string,
  ) {
    super(`WS-Man fault ${String(code)} ${String(subcode)} (HTTP ${status}): ${String(reason)}`);
    this.name = 'WsmanFaultError';
  }
}

/** A non-200 reply without a SOAP fault: 401, 404, 413, ... */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly wwwAuthenticate: string | string[] | undefined,
    readonly body: string,
  ) {
    super(`HTTP ${status}${body === '' ? '' : `: ${body.slice(0, 200)}`}`);
    this.name = 'HttpStatusError';
  }
}

export interface WsmanClientOptions {
  /** e.g. `https://127.0.0.1:5986/wsman` */
  url: string;
  user?: string;
  password?: string;
  /** Per-request socket timeout; a test fails rather than hangs. */
  timeoutMs?: number;
}

export interface CreateShellOptions {
  workingDirectory?: string;
  env?: Record<string, string>;
  noProfile?: boolean;
  codepage?: number;
  inputStreams?: string;
  outputStreams?: string;
}

export interface ReceiveResult {
  stdout: Buffer;
  stderr: Buffer;
  done: boolean;
  exitCode?: number;
}

export interface RunResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

export type SignalName = 'terminate' | 'ctrl_c' | 'ctrl_break';

function decodeBody(raw: Buffer, contentType: string | undefined): string {
  const utf16 = /charset\s*=\s*"?utf-16/i.test(contentType ?? '') || (raw[0] === 0xff && raw[1] === 0xfe);
  if (utf16) {
    const start = raw[0] === 0xff && raw[1] === 0xfe ? 2 : 0;
    return raw.subarray(start).toString('utf16le');
  }
  const start = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
  return raw.subarray(start).toString('utf8');
}

export class WsmanClient {
  readonly url: URL;
  private readonly agent: http.Agent;
  private readonly authorization: string | undefined;
  private readonly timeoutMs: number;

  constructor(opts: WsmanClientOptions) {
    this.url = new URL(opts.url);
    this.timeoutMs = opts.timeoutMs ?? 45_000;
    this.agent =
      this.url.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, rejectUnauthorized: false })
        : new http.Agent({ keepAlive: true });
    this.authorization =
      opts.user === undefined ? undefined : `Basic ${Buffer.from(`${opts.user}:${opts.password ?? ''}`).toString('base64')}`;
  }

  /** Closes the kept-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  /** Any request on this client's connection pool; `path` defaults to the URL's path. */
  request(method: string, body: string | Buffer, headers: OutgoingHttpHeaders = {}, requestPath?: string): Promise<HttpReply> {
    const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const allHeaders: OutgoingHttpHeaders = {
      'Content-Type': 'application/soap+xml;charset=UTF-8',
      'Content-Length': payload.length,
      ...(this.authorization === undefined ? {} : { Authorization: this.authorization }),
      ...headers,
    };
    const transport = this.url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        {
          method,
          hostname: this.url.hostname,
          port: this.url.port,
          path: requestPath ?? `${this.url.pathname}${this.url.search}`,
          headers: allHeaders,
          agent: this.agent,
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const rawBody = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: decodeBody(rawBody, res.headers['content-type']),
              rawBody,
              reusedSocket: req.reusedSocket,
            });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no reply within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** A raw POST to the endpoint. */
  post(body: string | Buffer, headers?: OutgoingHttpHeaders): Promise<HttpReply> {
    return this.request('POST', body, headers);
  }

  /**
   * Posts an envelope and returns the parsed reply document. Throws WsmanFaultError for a fault,
   * HttpStatusError for any other non-200 reply, and Error if RelatesTo does not match.
   */
  async soap(opts: EnvelopeOptions, headers?: OutgoingHttpHeaders): Promise<unknown> {
    const envelope = buildEnvelope(opts);
    const reply = await this.post(envelope.xml, headers);
    return checkReply(reply, envelope.messageId);
  }

  async identify(headers?: OutgoingHttpHeaders): Promise<IdentifyResult> {
    const reply = await this.post(buildIdentify(), headers);
    const doc = checkReply(reply, undefined);
    const response = path(doc, 'Envelope', 'Body', 'IdentifyResponse');
    if (response === undefined) throw new Error(`no IdentifyResponse in ${reply.body}`);
    const profiles = child(response, 'SecurityProfiles');
    return {
      protocolVersion: text(child(response, 'ProtocolVersion')),
      productVendor: text(child(response, 'ProductVendor')),
      productVersion: text(child(response, 'ProductVersion')),
      securityProfiles: profiles === undefined ? undefined : children(profiles, 'SecurityProfileName').map((p) => text(p) ?? ''),
    };
  }

  async createShell(opts: CreateShellOptions = {}): Promise<string> {
    const parts: string[] = [];
    if (opts.workingDirectory !== undefined) parts.push(`<shell:WorkingDirectory>${escapeXml(opts.workingDirectory)}</shell:WorkingDirectory>`);
    const env = Object.entries(opts.env ?? {});
    if (env.length > 0) {
      const vars = env.map(([name, value]) => `<shell:Variable Name="${escapeXml(name)}">${escapeXml(value)}</shell:Variable>`);
      parts.push(`<shell:Environment>${vars.join('')}</shell:Environment>`);
    }
    parts.push(`<shell:InputStreams>${escapeXml(opts.inputStreams ?? 'stdin')}</shell:InputStreams>`);
    parts.push(`<shell:OutputStreams>${escapeXml(opts.outputStreams ?? 'stdout stderr')}</shell:OutputStreams>`);
    const doc = await this.soap({
      action: ACTION.create,
      options: {
        WINRS_NOPROFILE: opts.noProfile === true ? 'TRUE' : 'FALSE',
        WINRS_CODEPAGE: String(opts.codepage ?? 65001),
      },
      body: `<shell:Shell>${parts.join('')}</shell:Shell>`,
    });
    return shellIdOf(doc);
  }

  /** `consoleModeStdin`: WINRS_CONSOLEMODE_STDIN, TRUE unless false (as pywinrm and masterzen/winrm send it). */
  async runCommand(shellId: string, command: string, args: string[] = [], consoleModeStdin = true): Promise<string> {
    const argXml = args.map((a) => `<shell:Arguments>${escapeXml(a)}</shell:Arguments>`).join('');
    const doc = await this.soap({
      action: ACTION.command,
      selectors: { ShellId: shellId },
      options: { WINRS_CONSOLEMODE_STDIN: consoleModeStdin ? 'TRUE' : 'FALSE', WINRS_SKIP_CMD_SHELL: 'FALSE' },
      body: `<shell:CommandLine><shell:Command>${escapeXml(command)}</shell:Command>${argXml}</shell:CommandLine>`,
    });
    const id = text(path(doc, 'Envelope', 'Body', 'CommandResponse', 'CommandId'));
    if (id === undefined || id === '') throw new Error('CommandResponse without CommandId');
    return id;
  }

  async send(shellId: string, commandId: string, data: Buffer, end = false): Promise<void> {
    const endAttr = end ? ' End="true"' : '';
    await this.soap({
      action: ACTION.send,
      selectors: { ShellId: shellId },
      body: `<shell:Send><shell:Stream Name="stdin" CommandId="${escapeXml(commandId)}"${endAttr}>${data.toString('base64')}</shell:Stream></shell:Send>`,
    });
  }

  /** One Receive. Throws WsmanFaultError (code 2150858793) when nothing happened within the timeout. */
  async receive(shellId: string, commandId: string, timeoutSeconds = 20): Promise<ReceiveResult> {
    const doc = await this.soap(this.receiveEnvelope(shellId, commandId, timeoutSeconds));
    const response = path(doc, 'Envelope', 'Body', 'ReceiveResponse');
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    for (const stream of children(response, 'Stream')) {
      const data = Buffer.from(text(stream) ?? '', 'base64');
      if (attr(stream, 'Name') === 'stdout') out.push(data);
      else if (attr(stream, 'Name') === 'stderr') err.push(data);
    }
    const result: ReceiveResult = { stdout: Buffer.concat(out), stderr: Buffer.concat(err), done: false };
    for (const state of children(response, 'CommandState')) {
      if (attr(state, 'State') !== COMMAND_STATE_DONE) continue;
      result.done = true;
      const exitCode = text(child(state, 'ExitCode'));
      if (exitCode !== undefined && /^-?\d+$/.test(exitCode.trim())) result.exitCode = Number(exitCode);
    }
    return result;
  }

  receiveEnvelope(shellId: string, commandId: string, timeoutSeconds = 20): EnvelopeOptions {
    return {
      action: ACTION.receive,
      selectors: { ShellId: shellId },
      options: { WSMAN_CMDSHELL_OPTION_KEEPALIVE: 'TRUE' },
      operationTimeout: `PT${timeoutSeconds}S`,
      body: `<shell:Receive><shell:DesiredStream CommandId="${escapeXml(commandId)}">stdout stderr</shell:DesiredStream></shell:Receive>`,
    };
  }

  /** Receives until CommandState Done, retrying on the w:TimedOut fault. */
  async receiveAll(shellId: string, commandId: string): Promise<ReceiveResult> {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    for (;;) {
      let part: ReceiveResult;
      try {
        part = await this.receive(shellId, commandId);
      } catch (e) {
        if (e instanceof WsmanFaultError && e.code === TIMED_OUT_CODE) continue;
        throw e;
      }
      out.push(part.stdout);
      err.push(part.stderr);
      if (part.done) {
        const result: ReceiveResult = { stdout: Buffer.concat(out), stderr: Buffer.concat(err), done: true };
        if (part.exitCode !== undefined) result.exitCode = part.exitCode;
        return result;
      }
    }
  }

  async signal(shellId: string, commandId: string, code: SignalName): Promise<void> {
    await this.soap({
      action: ACTION.signal,
      selectors: { ShellId: shellId },
      body: `<shell:Signal CommandId="${escapeXml(commandId)}"><shell:Code>${SIGNAL_PREFIX}${code}</shell:Code></shell:Signal>`,
    });
  }

  async deleteShell(shellId: string): Promise<void> {
    await this.soap({ action: ACTION.delete, selectors: { ShellId: shellId } });
  }

  /** Command, Receive until Done, then Signal terminate as [WSMV 3.1.4.14] asks. */
  async run(shellId: string, command: string, args: string[] = []): Promise<RunResult> {
    const commandId = await this.runCommand(shellId, command, args);
    const result = await this.receiveAll(shellId, commandId);
    await this.signal(shellId, commandId, 'terminate');
    if (result.exitCode === undefined) throw new Error('CommandState Done without ExitCode');
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
  }
}

export interface IdentifyResult {
  protocolVersion: string | undefined;
  productVendor: string | undefined;
  productVersion: string | undefined;
  securityProfiles: string[] | undefined;
}

/** Turns an HTTP reply into a parsed document, or throws the matching error. */
export function checkReply(reply: HttpReply, messageId: string | undefined): unknown {
  if (reply.status === 200) {
    const doc = parseXml(reply.body);
    if (messageId !== undefined) {
      const relatesTo = text(path(doc, 'Envelope', 'Header', 'RelatesTo'));
      if (relatesTo?.toLowerCase() !== messageId.toLowerCase()) {
        throw new Error(`RelatesTo ${String(relatesTo)} does not match MessageID ${messageId}`);
      }
    }
    return doc;
  }
  let doc: unknown;
  try {
    doc = reply.body === '' ? undefined : parseXml(reply.body);
  } catch {
    doc = undefined;
  }
  const fault = doc === undefined ? undefined : faultOf(doc);
  if (fault !== undefined) {
    throw new WsmanFaultError(reply.status, fault.code, fault.subcode, fault.reason, fault.relatesTo, reply.body);
  }
  throw new HttpStatusError(reply.status, reply.headers['www-authenticate'], reply.body);
}

function shellIdOf(doc: unknown): string {
  const body = path(doc, 'Envelope', 'Body');
  const fromShell = text(path(body, 'Shell', 'ShellId'));
  if (fromShell !== undefined && fromShell !== '') return fromShell;
  const selectors = children(path(body, 'ResourceCreated', 'ReferenceParameters', 'SelectorSet'), 'Selector');
  const selector = selectors.find((s) => attr(s, 'Name')?.toLowerCase() === 'shellid');
  const fromSelector = text(selector);
  if (fromSelector !== undefined && fromSelector !== '') return fromSelector;
  throw new Error('CreateResponse without a ShellId');
}
