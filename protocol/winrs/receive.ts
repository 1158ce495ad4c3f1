import { escapeXml } from '../xml/escape.js';
import { attributeValue, childElement, type XmlElement } from '../xml/xml-tree.js';
import { NS } from '../wsman/namespaces.js';
import { requireShellBody } from './body.js';

/** [MS-WSMV] 2.2.4.26 Receive. */
export interface ReceiveRequest {
  readonly commandId: string | undefined;
  readonly streams: readonly string[];
}

export function parseReceive(body: XmlElement | undefined): ReceiveRequest {
  const receive = requireShellBody(body, 'Receive');
  const desired = childElement(receive, NS.shell, 'DesiredStream');
  return {
    commandId: desired === undefined ? undefined : attributeValue(desired, 'CommandId'),
    streams: (desired?.text ?? 'stdout stderr').split(/\s+/).filter((s) => s !== ''),
  };
}

export interface ReceivedStream {
  readonly name: string;
  readonly data: Buffer;
  readonly end: boolean;
}

export interface ReceivedState {
  /** One of COMMAND_STATE's URIs. */
  readonly state: string;
  readonly exitCode: number | undefined;
}

/** ReceiveResponse: Stream elements in order, then the CommandState. */
export function writeReceiveResponse(commandId: string, streams: readonly ReceivedStream[], state: ReceivedState): string {
  const id = escapeXml(commandId);
  const parts = streams.map((s) => {
    const end = s.end ? ' End="true"' : '';
    return `<rsp:Stream Name="${escapeXml(s.name)}" CommandId="${id}"${end}>${s.data.toString('base64')}</rsp:Stream>`;
  });
  const exit = state.exitCode === undefined ? '' : `<rsp:ExitCode>${state.exitCode}</rsp:ExitCode>`;
  const stateXml =
    exit === ''
      ? `<rsp:CommandState CommandId="${id}" State="${escapeXml(state.state)}"/>`
      : `<rsp:CommandState CommandId="${id}" State="${escapeXml(state.state)}">${exit}</rsp:CommandState>`;
  return `<rsp:ReceiveResponse>${parts.join('')}${stateXml}</rsp:ReceiveResponse>`;
}

/** Bytes of a ReceiveResponse beyond its base64 payloads, with room for one Stream per chunk. */
export function receiveResponseOverhead(commandId: string, streamCount: number): number {
  const perStream = `<rsp:Stream Name="stderr" CommandId="${commandId}" End="true"></rsp:Stream>`.length;
  const state = `<rsp:CommandState CommandId="${commandId}" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running"><rsp:ExitCode>-2147483648</rsp:ExitCode></rsp:CommandState>`.length;
  return '<rsp:ReceiveResponse></rsp:ReceiveResponse>'.length + perStream * streamCount + state;
}
