import { attributeValue, childElements, type XmlElement } from '../xml/xml-tree.js';
import { WsmanFault } from '../wsman/fault.js';
import { NS } from '../wsman/namespaces.js';
import { decodeBase64, requireShellBody } from './body.js';

/** [MS-WSMV] 2.2.4.38 Send: one or more input stream pieces. */
export interface SendStream {
  readonly name: string;
  readonly commandId: string | undefined;
  readonly data: Buffer;
  /** End="true": the client has no more input for this stream (stdin EOF). */
  readonly end: boolean;
}

export function parseSend(body: XmlElement | undefined): SendStream[] {
  const send = requireShellBody(body, 'Send');
  const streams = childElements(send, NS.shell, 'Stream').map((stream) => {
    const name = attributeValue(stream, 'Name');
    if (name === undefined) throw new WsmanFault('invalidParameter', [], 'a Send Stream has no Name');
    return {
      name,
      commandId: attributeValue(stream, 'CommandId'),
      data: decodeBase64(stream.text),
      end: isTrue(attributeValue(stream, 'End')),
    };
  });
  if (streams.length === 0) throw new WsmanFault('invalidParameter', [], 'Send has no Stream');
  return streams;
}

/** xs:boolean, plus the TRUE/True spellings clients send. */
export function isTrue(value: string | undefined): boolean {
  const v = value?.trim().toLowerCase();
  return v === 'true' || v === '1';
}

export function writeSendResponse(): string {
  return '<rsp:SendResponse/>';
}
