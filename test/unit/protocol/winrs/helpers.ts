/** Builds WinRS body elements for the codec tests: XML with the rsp: prefix declared. */
import { parseXml } from '../../../../protocol/xml/parse-xml.js';
import type { XmlElement } from '../../../../protocol/xml/xml-tree.js';
import { WsmanFault } from '../../../../protocol/wsman/fault.js';
import type { FaultName } from '../../../../protocol/wsman/fault-catalogue.js';
import { NS } from '../../../../protocol/wsman/namespaces.js';

/** Parses `xml`, declaring rsp: on its root element. */
export function shellBody(xml: string): XmlElement {
  return parseXml(xml.replace(/^<([\w:]+)/, `<$1 xmlns:rsp="${NS.shell}"`));
}

/** The fault `run` throws; fails when it throws anything else or nothing. */
export function faultOf(run: () => unknown): FaultName {
  try {
    run();
  } catch (error) {
    if (error instanceof WsmanFault) return error.fault;
    throw error;
  }
  throw new Error('expected a WsmanFault, but nothing was thrown');
}
