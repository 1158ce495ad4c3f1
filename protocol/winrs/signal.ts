import { attributeValue, childElement, type XmlElement } from '../xml/xml-tree.js';
import { WsmanFault } from '../wsman/fault.js';
import { NS } from '../wsman/namespaces.js';
import { requireShellBody } from './body.js';
import { signalNameOf, type SignalName } from './uris.js';

/** [MS-WSMV] 2.2.4.36 Signal. */
export interface SignalRequest {
  readonly commandId: string | undefined;
  readonly signal: SignalName;
}

export function parseSignal(body: XmlElement | undefined): SignalRequest {
  const signal = requireShellBody(body, 'Signal');
  const code = childElement(signal, NS.shell, 'Code')?.text ?? '';
  const name = signalNameOf(code);
  if (name === undefined) throw new WsmanFault('invalidParameter', [], `unknown signal code '${code}'`);
  return { commandId: attributeValue(signal, 'CommandId'), signal: name };
}

export function writeSignalResponse(): string {
  return '<rsp:SignalResponse/>';
}
