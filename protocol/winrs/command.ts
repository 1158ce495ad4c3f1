import { escapeXml } from '../xml/escape.js';
import { attributeValue, childElement, childElements, type XmlElement } from '../xml/xml-tree.js';
import { WsmanFault } from '../wsman/fault.js';
import { NS } from '../wsman/namespaces.js';
import { requireShellBody } from './body.js';

/** [MS-WSMV] 2.2.4.7 CommandLine. */
export interface CommandLineRequest {
  /** PSRP clients choose the CommandId; otherwise the service makes one. */
  readonly commandId: string | undefined;
  readonly command: string;
  /** pywinrm sends one Arguments element with everything; pypsrp one per argument. */
  readonly args: readonly string[];
}

export function parseCommandLine(body: XmlElement | undefined): CommandLineRequest {
  const commandLine = requireShellBody(body, 'CommandLine');
  const command = childElement(commandLine, NS.shell, 'Command')?.text;
  if (command === undefined || command.trim() === '') {
    throw new WsmanFault('invalidParameter', [], 'CommandLine has no Command');
  }
  return {
    commandId: attributeValue(commandLine, 'CommandId'),
    command: command.trim(),
    args: childElements(commandLine, NS.shell, 'Arguments').map((a) => a.text),
  };
}

/** The command line Windows' shell plugin builds: Command, then each argument after a space. */
export function joinCommandLine(request: CommandLineRequest): string {
  return [request.command, ...request.args].join(' ');
}

export function writeCommandResponse(commandId: string): string {
  return `<rsp:CommandResponse><rsp:CommandId>${escapeXml(commandId)}</rsp:CommandId></rsp:CommandResponse>`;
}
