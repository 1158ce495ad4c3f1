import { escapeXml } from '../xml/escape.js';
import { ReplyText } from '../xml/reply-text.js';
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
  return writeReceiveResponseText(commandId, streams, state).toString();
}

/** The same reply with each stream's base64 kept as bytes until it is written (reply-text.ts). */
export function writeReceiveResponseText(commandId: string, streams: readonly ReceivedStream[], state: ReceivedState): ReplyText {
  const id = escapeXml(commandId);
  const pieces: (string | ReplyText)[] = ['<rsp:ReceiveResponse>'];
  for (const s of streams) {
    const end = s.end ? ' End="true"' : '';
    pieces.push(`<rsp:Stream Name="${escapeXml(s.name)}" CommandId="${id}"${end}>`, ReplyText.base64(s.data), '</rsp:Stream>');
  }
  const exit = state.exitCode === undefined ? '' : `<rsp:ExitCode>${state.exitCode}</rsp:ExitCode>`;
  pieces.push(
    exit === ''
      ? `<rsp:CommandState CommandId="${id}" State="${escapeXml(state.state)}"/>`
      : `<rsp:CommandState CommandId="${id}" State="${escapeXml(state.state)}">${exit}</rsp:CommandState>`,
    '</rsp:ReceiveResponse>',
  );
  return ReplyText.join(pieces);
}

export function receiveResponseOverhead(commandId: string, streamCount: number): number {
  const perStream = `<rsp:Stream Name="stderr" CommandId="${commandId}" End="true"></rsp:Stream>`.length;
  const state = `<rsp:CommandState CommandId="${commandId}" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running"><rsp:ExitCode>-2147483648</rsp:ExitCode></rsp:CommandState>`.length;
  return '<rsp:ReceiveResponse></rsp:ReceiveResponse>'.length + perStream * streamCount + state;
}
