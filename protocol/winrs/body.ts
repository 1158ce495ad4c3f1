import type { XmlElement } from '../xml/xml-tree.js';
import { WsmanFault } from '../wsman/fault.js';
import { NS } from '../wsman/namespaces.js';
import { decodeWholeBase64 } from '../whole-base64.js';

/** The body element every WinRS action requires, in the shell namespace, or the schema fault. */
export function requireShellBody(body: XmlElement | undefined, name: string): XmlElement {
  if (body?.ns !== NS.shell || body.name !== name) {
    throw new WsmanFault('schemaValidation', [], `expected an rsp:${name} body`);
  }
  return body;
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** Strict base64: Node's decoder skips bad characters silently, which would corrupt stdin. */
export function decodeBase64(text: string): Buffer {
  const whole = decodeWholeBase64(text);
  if (whole !== undefined) return whole;
  // Wrapped lines, or not base64 at all: the pattern decides.
  if (!BASE64.test(text)) throw new WsmanFault('schemaValidation', [], 'stream content is not base64');
  return Buffer.from(text, 'base64');
}
