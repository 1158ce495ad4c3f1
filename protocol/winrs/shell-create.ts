import { escapeXml } from '../xml/escape.js';
import { attributeValue, childElement, childElements, type XmlElement } from '../xml/xml-tree.js';
import { formatDayTimeDuration, formatSecondsDuration, parseDurationMs } from '../wsman/duration.js';
import { WsmanFault } from '../wsman/fault.js';
import { NS } from '../wsman/namespaces.js';
import { requireShellBody } from './body.js';

/** [MS-WSMV] 2.2.4.37 Shell, as a client sends it in a Create. */
export interface ShellCreateRequest {
  /** A client-chosen ShellId (PSRP clients choose theirs); otherwise the service makes one. */
  readonly shellId: string | undefined;
  readonly name: string | undefined;
  readonly workingDirectory: string | undefined;
  readonly environment: ReadonlyMap<string, string>;
  readonly lifetimeMs: number | undefined;
  readonly idleTimeoutMs: number | undefined;
  readonly inputStreams: readonly string[];
  readonly outputStreams: readonly string[];
}

export function parseShellCreate(body: XmlElement | undefined): ShellCreateRequest {
  const shell = requireShellBody(body, 'Shell');
  const text = (name: string): string | undefined => childElement(shell, NS.shell, name)?.text.trim();
  const environment = new Map<string, string>();
  const envElement = childElement(shell, NS.shell, 'Environment');
  for (const variable of envElement === undefined ? [] : childElements(envElement, NS.shell, 'Variable')) {
    const name = attributeValue(variable, 'Name');
    if (name === undefined || name === '' || name.includes('=') || name.includes('\0')) {
      throw new WsmanFault('invalidParameter', [], 'an Environment Variable has no usable Name');
    }
    environment.set(name, variable.text);
  }
  return {
    shellId: attributeValue(shell, 'ShellId') ?? attributeValue(shell, 'ShellID'),
    name: attributeValue(shell, 'Name'),
    workingDirectory: text('WorkingDirectory'),
    environment,
    lifetimeMs: optionalDuration(text('Lifetime'), 'Lifetime'),
    idleTimeoutMs: optionalDuration(text('IdleTimeOut') ?? text('IdleTimeout'), 'IdleTimeOut'),
    inputStreams: splitStreams(text('InputStreams') ?? 'stdin'),
    outputStreams: splitStreams(text('OutputStreams') ?? 'stdout stderr'),
  };
}

function optionalDuration(raw: string | undefined, what: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    return parseDurationMs(raw);
  } catch {
    throw new WsmanFault('invalidParameter', [], `${what} '${raw}' is not an xs:duration`);
  }
}

function splitStreams(list: string): string[] {
  return list.split(/\s+/).filter((s) => s !== '');
}

/** What the service reports about a shell: Create's response, Get, and enumeration items. */
export interface ShellDescription {
  readonly shellId: string;
  readonly name: string | undefined;
  readonly resourceUri: string;
  readonly owner: string;
  readonly clientIp: string;
  readonly idleTimeoutMs: number;
  readonly inputStreams: readonly string[];
  readonly outputStreams: readonly string[];
  readonly runTimeMs: number;
  readonly inactivityMs: number;
}

/** The rsp:Shell element Windows returns, in Windows' child order. */
export function writeShellElement(shell: ShellDescription): string {
  const name = shell.name === undefined ? '' : `<rsp:Name>${escapeXml(shell.name)}</rsp:Name>`;
  return (
    `<rsp:Shell xmlns:rsp="${NS.shell}">` +
    `<rsp:ShellId>${escapeXml(shell.shellId)}</rsp:ShellId>${name}` +
    `<rsp:ResourceUri>${escapeXml(shell.resourceUri)}</rsp:ResourceUri>` +
    `<rsp:Owner>${escapeXml(shell.owner)}</rsp:Owner>` +
    `<rsp:ClientIP>${escapeXml(shell.clientIp)}</rsp:ClientIP>` +
    `<rsp:IdleTimeOut>${formatSecondsDuration(shell.idleTimeoutMs)}</rsp:IdleTimeOut>` +
    `<rsp:InputStreams>${escapeXml(shell.inputStreams.join(' '))}</rsp:InputStreams>` +
    `<rsp:OutputStreams>${escapeXml(shell.outputStreams.join(' '))}</rsp:OutputStreams>` +
    `<rsp:ShellRunTime>${formatDayTimeDuration(shell.runTimeMs)}</rsp:ShellRunTime>` +
    `<rsp:ShellInactivity>${formatDayTimeDuration(shell.inactivityMs)}</rsp:ShellInactivity>` +
    `</rsp:Shell>`
  );
}

/**
 * Create's response body: the endpoint reference (pywinrm reads the ShellId from its Selector)
 * followed by the Shell element (pypsrp reads rsp:Shell/rsp:ShellId).
 */
export function writeShellCreated(address: string, shell: ShellDescription): string {
  return (
    `<x:ResourceCreated><a:Address>${escapeXml(address)}</a:Address><a:ReferenceParameters>` +
    `<w:ResourceURI>${escapeXml(shell.resourceUri)}</w:ResourceURI>` +
    `<w:SelectorSet><w:Selector Name="ShellId">${escapeXml(shell.shellId)}</w:Selector></w:SelectorSet>` +
    `</a:ReferenceParameters></x:ResourceCreated>${writeShellElement(shell)}`
  );
}
