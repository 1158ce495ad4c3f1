/**
 * Request envelopes for the dispatcher tests, in pywinrm's shape (env:/a:/w:/p:/rsp: prefixes,
 * unqualified mustUnderstand), with a fresh MessageID each.
 */
import { randomUUID } from 'node:crypto';
import { ACTION } from '../../../protocol/wsman/actions.js';
import { NS } from '../../../protocol/wsman/namespaces.js';
import { RESOURCE_URI } from '../../../protocol/winrs/uris.js';
import { escapeXml } from '../../../protocol/xml/escape.js';

export { ACTION, RESOURCE_URI };

export interface RequestSpec {
  readonly action?: string | undefined;
  readonly resourceUri?: string | undefined;
  readonly messageId?: string | undefined;
  readonly shellId?: string | undefined;
  readonly selectorName?: string;
  /** Selectors by name, e.g. a listener's Address and Transport (ShellId has `shellId`). */
  readonly selectors?: Readonly<Record<string, string>>;
  readonly options?: Readonly<Record<string, string>>;
  readonly operationTimeout?: string | undefined;
  readonly maxEnvelopeSize?: number | undefined;
  readonly locale?: string | undefined;
  readonly body?: string;
}

export interface BuiltRequest {
  readonly xml: string;
  /** The MessageID sent, which every answer must echo in RelatesTo. */
  readonly messageId: string;
}

export function newMessageId(): string {
  return `uuid:${randomUUID().toUpperCase()}`;
}

export function request(spec: RequestSpec): BuiltRequest {
  const messageId = spec.messageId ?? newMessageId();
  const headers: string[] = ['<a:To>http://windows-host:5985/wsman</a:To>'];
  headers.push(`<a:ReplyTo><a:Address mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>`);
  headers.push(`<w:MaxEnvelopeSize mustUnderstand="true">${spec.maxEnvelopeSize ?? 153600}</w:MaxEnvelopeSize>`);
  headers.push(`<a:MessageID>${escapeXml(messageId)}</a:MessageID>`);
  headers.push(`<w:Locale mustUnderstand="false" xml:lang="${escapeXml(spec.locale ?? 'en-US')}"/>`);
  headers.push('<p:DataLocale mustUnderstand="false" xml:lang="en-US"/>');
  if (spec.operationTimeout !== undefined) headers.push(`<w:OperationTimeout>${spec.operationTimeout}</w:OperationTimeout>`);
  if (spec.resourceUri !== undefined) headers.push(`<w:ResourceURI mustUnderstand="true">${escapeXml(spec.resourceUri)}</w:ResourceURI>`);
  if (spec.action !== undefined) headers.push(`<a:Action mustUnderstand="true">${escapeXml(spec.action)}</a:Action>`);
  if (spec.shellId !== undefined) {
    headers.push(
      `<w:SelectorSet><w:Selector Name="${spec.selectorName ?? 'ShellId'}">${escapeXml(spec.shellId)}</w:Selector></w:SelectorSet>`,
    );
  }
  const selectors = Object.entries(spec.selectors ?? {});
  if (selectors.length > 0) {
    headers.push(`<w:SelectorSet>${selectors.map(([n, v]) => `<w:Selector Name="${escapeXml(n)}">${escapeXml(v)}</w:Selector>`).join('')}</w:SelectorSet>`);
  }
  const options = Object.entries(spec.options ?? {});
  if (options.length > 0) {
    headers.push(`<w:OptionSet>${options.map(([n, v]) => `<w:Option Name="${escapeXml(n)}">${escapeXml(v)}</w:Option>`).join('')}</w:OptionSet>`);
  }
  const xml =
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    `<env:Envelope xmlns:env="${NS.soap}" xmlns:a="${NS.addressing}" xmlns:w="${NS.wsman}" xmlns:p="${NS.wsmv}" ` +
    `xmlns:rsp="${NS.shell}" xmlns:n="${NS.enumeration}" xmlns:x="${NS.transfer}">` +
    `<env:Header>${headers.join('')}</env:Header><env:Body>${spec.body ?? ''}</env:Body></env:Envelope>`;
  return { xml, messageId };
}

export function identify(): BuiltRequest {
  return {
    xml:
      `<s:Envelope xmlns:s="${NS.soap}" xmlns:wsmid="${NS.identity}">` +
      '<s:Header/><s:Body><wsmid:Identify/></s:Body></s:Envelope>',
    messageId: '',
  };
}

export interface ShellOptions {
  readonly shellId?: string;
  readonly workingDirectory?: string;
  readonly environment?: Readonly<Record<string, string>>;
  readonly idleTimeout?: string;
  readonly resourceUri?: string;
  /** WINRS_NOPROFILE; FALSE (load the profile) unless set, as pywinrm sends it. */
  readonly noProfile?: boolean;
}

export function create(options: ShellOptions = {}): BuiltRequest {
  const env = Object.entries(options.environment ?? {});
  const body =
    `<rsp:Shell${options.shellId === undefined ? '' : ` ShellId="${escapeXml(options.shellId)}"`}>` +
    '<rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams>' +
    (options.workingDirectory === undefined ? '' : `<rsp:WorkingDirectory>${escapeXml(options.workingDirectory)}</rsp:WorkingDirectory>`) +
    (options.idleTimeout === undefined ? '' : `<rsp:IdleTimeOut>${options.idleTimeout}</rsp:IdleTimeOut>`) +
    (env.length === 0
      ? ''
      : `<rsp:Environment>${env.map(([n, v]) => `<rsp:Variable Name="${escapeXml(n)}">${escapeXml(v)}</rsp:Variable>`).join('')}</rsp:Environment>`) +
    '</rsp:Shell>';
  return request({
    action: ACTION.create,
    resourceUri: options.resourceUri ?? RESOURCE_URI.cmdShell,
    options: { WINRS_NOPROFILE: options.noProfile === true ? 'TRUE' : 'FALSE', WINRS_CODEPAGE: '65001' },
    body,
  });
}

/** `consoleModeStdin`: WINRS_CONSOLEMODE_STDIN, TRUE as pywinrm sends it unless false. */
export function command(shellId: string, commandLine: string, args: readonly string[] = [], consoleModeStdin = true): BuiltRequest {
  return request({
    action: ACTION.command,
    resourceUri: RESOURCE_URI.cmdShell,
    shellId,
    options: { WINRS_CONSOLEMODE_STDIN: consoleModeStdin ? 'TRUE' : 'FALSE', WINRS_SKIP_CMD_SHELL: 'FALSE' },
    body:
      `<rsp:CommandLine><rsp:Command>${escapeXml(commandLine)}</rsp:Command>` +
      `${args.map((a) => `<rsp:Arguments>${escapeXml(a)}</rsp:Arguments>`).join('')}</rsp:CommandLine>`,
  });
}

export function send(shellId: string, commandId: string, data: Buffer, end: boolean): BuiltRequest {
  return request({
    action: ACTION.send,
    resourceUri: RESOURCE_URI.cmdShell,
    shellId,
    body:
      `<rsp:Send><rsp:Stream Name="stdin" CommandId="${escapeXml(commandId)}"${end ? ' End="true"' : ''}>` +
      `${data.toString('base64')}</rsp:Stream></rsp:Send>`,
  });
}

export interface ReceiveOptions {
  readonly operationTimeout?: string;
  readonly maxEnvelopeSize?: number;
  readonly streams?: string;
}

export function receive(shellId: string, commandId: string, options: ReceiveOptions = {}): BuiltRequest {
  return request({
    action: ACTION.receive,
    resourceUri: RESOURCE_URI.cmdShell,
    shellId,
    operationTimeout: options.operationTimeout ?? 'PT5S',
    maxEnvelopeSize: options.maxEnvelopeSize,
    options: { WSMAN_CMDSHELL_OPTION_KEEPALIVE: 'TRUE' },
    body: `<rsp:Receive><rsp:DesiredStream CommandId="${escapeXml(commandId)}">${options.streams ?? 'stdout stderr'}</rsp:DesiredStream></rsp:Receive>`,
  });
}

export const SIGNAL = {
  terminate: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate',
  ctrlC: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/ctrl_c',
} as const;

export function signal(shellId: string, commandId: string, code: string = SIGNAL.terminate): BuiltRequest {
  return request({
    action: ACTION.signal,
    resourceUri: RESOURCE_URI.cmdShell,
    shellId,
    body: `<rsp:Signal CommandId="${escapeXml(commandId)}"><rsp:Code>${code}</rsp:Code></rsp:Signal>`,
  });
}

export function deleteShell(shellId: string): BuiltRequest {
  return request({ action: ACTION.delete, resourceUri: RESOURCE_URI.cmdShell, shellId });
}

export function getShell(shellId: string, resourceUri: string = RESOURCE_URI.anyShell): BuiltRequest {
  return request({ action: ACTION.get, resourceUri, shellId });
}

export interface EnumerateOptions {
  readonly optimize?: boolean;
  readonly maxElements?: number;
  readonly filter?: boolean;
  readonly resourceUri?: string;
  readonly maxEnvelopeSize?: number;
}

export function enumerate(options: EnumerateOptions = {}): BuiltRequest {
  const body =
    '<n:Enumerate>' +
    (options.optimize === true ? '<w:OptimizeEnumeration/>' : '') +
    (options.maxElements === undefined ? '' : `<w:MaxElements>${options.maxElements}</w:MaxElements>`) +
    (options.filter === true ? '<w:Filter>x</w:Filter>' : '') +
    '</n:Enumerate>';
  return request({
    action: ACTION.enumerate,
    resourceUri: options.resourceUri ?? RESOURCE_URI.anyShell,
    maxEnvelopeSize: options.maxEnvelopeSize,
    body,
  });
}

export function pull(context: string, maxElements?: number): BuiltRequest {
  return request({
    action: ACTION.pull,
    resourceUri: RESOURCE_URI.anyShell,
    body:
      `<n:Pull><n:EnumerationContext>${escapeXml(context)}</n:EnumerationContext>` +
      `${maxElements === undefined ? '' : `<n:MaxElements>${maxElements}</n:MaxElements>`}</n:Pull>`,
  });
}

export function release(context: string): BuiltRequest {
  return request({
    action: ACTION.release,
    resourceUri: RESOURCE_URI.anyShell,
    body: `<n:Release><n:EnumerationContext>${escapeXml(context)}</n:EnumerationContext></n:Release>`,
  });
}
