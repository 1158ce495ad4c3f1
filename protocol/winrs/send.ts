import { attributeValue, childElements, type XmlElement } from '../xml/xml-tree.js';
import { WsmanFault } from '../wsman/fault.js';
import { NS } from '../wsman/namespaces.js';
import type { CutOutData, CutOutText } from '../xml/cut-out-text.js';
import { decodeBase64, requireShellBody } from './body.js';

/** [MS-WSMV] 2.2.4.38 Send: one or more input stream pieces. */
export interface SendStream {
  readonly name: string;
  readonly commandId: string | undefined;
  readonly data: Buffer;
  /** End="true": the client has no more input for this stream (stdin EOF). */
  readonly end: boolean;
}

/** `cutOut`: a Stream's content taken out of the text before the parse, decoded (cut-out-text.ts). */
export function parseSend(body: XmlElement | undefined, cutOut?: CutOutData): SendStream[] {
  const send = requireShellBody(body, 'Send');
  let cut = cutOut;
  const streams = childElements(send, NS.shell, 'Stream').map((stream) => {
    // The marker stands for the cut content once: a second one is the text it says.
    const fromCut = cut !== undefined && stream.text === cut.marker ? cut : undefined;
    if (fromCut !== undefined) cut = undefined;
    const name = attributeValue(stream, 'Name');
    if (name === undefined) throw new WsmanFault('invalidParameter', [], 'a Send Stream has no Name');
    return {
      name,
      commandId: attributeValue(stream, 'CommandId'),
      data: fromCut === undefined ? decodeBase64(stream.text) : fromCut.data,
      end: isTrue(attributeValue(stream, 'End')),
    };
  });
  if (streams.length === 0) throw new WsmanFault('invalidParameter', [], 'Send has no Stream');
  return streams;
}

/**
 * Whether a body parsed with `cutOut` in place of a run of its text reads as it would whole: a
 * Send whose one rsp:Stream with the marker has it as all its text. Anything else is parsed whole.
 */
export function sendHoldsCutOut(body: XmlElement | undefined, cutOut: CutOutText): boolean {
  if (body?.ns !== NS.shell || body.name !== 'Send') return false;
  return childElements(body, NS.shell, 'Stream').filter((stream) => stream.text === cutOut.marker).length === 1;
}

/** xs:boolean, plus the TRUE/True spellings clients send. */
export function isTrue(value: string | undefined): boolean {
  const v = value?.trim().toLowerCase();
  return v === 'true' || v === '1';
}

export function writeSendResponse(): string {
  return '<rsp:SendResponse/>';
}
