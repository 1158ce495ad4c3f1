/**
 * The configuration tree as WS-Management carries it: nested `cfg:` elements with text values, in
 * the order Windows writes them (recorded in pypsrp's test_wsman_update_envelope_size_*.yml). Get
 * answers with such an element; Put sends one, with the properties to change.
 */
import { escapeXml } from '../xml/escape.js';
import type { XmlElement } from '../xml/xml-tree.js';
import { WsmanFault } from '../wsman/fault.js';

/** A configuration element: a value, or a group of elements in order. */
export type ConfigNode = ConfigValueNode | ConfigGroupNode;

export interface ConfigValueNode {
  readonly name: string;
  readonly value: string;
}

export interface ConfigGroupNode {
  readonly name: string;
  readonly children: readonly ConfigNode[];
}

/** `<cfg:Name xmlns:cfg="namespace">...</cfg:Name>`; empty values as `<cfg:X></cfg:X>`, as Windows writes them. */
export function writeConfigResource(resource: ConfigGroupNode, namespace: string): string {
  const inner = resource.children.map(writeNode).join('');
  return `<cfg:${resource.name} xmlns:cfg="${escapeXml(namespace)}">${inner}</cfg:${resource.name}>`;
}

function writeNode(node: ConfigNode): string {
  const content = 'children' in node ? node.children.map(writeNode).join('') : escapeXml(node.value);
  return `<cfg:${node.name}>${content}</cfg:${node.name}>`;
}

/** One property a Put sets: its element names below the resource element, and its text. */
export interface ConfigAssignment {
  readonly path: readonly string[];
  readonly value: string;
}

/**
 * The properties of a Put body: the resource element (`resourceName`, any case) and, below it,
 * every element without element children as one assignment. Every element must be in one of
 * `namespaces` (the sub-resource's own, or the root's, which clients also use); anything else is
 * w:SchemaValidationError, as is a property given twice.
 */
export function parseConfigPut(body: XmlElement | undefined, resourceName: string, namespaces: readonly string[]): ConfigAssignment[] {
  if (body === undefined || !inNamespaces(body, namespaces) || body.name.toLowerCase() !== resourceName.toLowerCase()) {
    throw new WsmanFault('schemaValidation', [], `expected a ${resourceName} element in ${namespaces.join(' or ')}`);
  }
  const assignments: ConfigAssignment[] = [];
  const seen = new Set<string>();
  const visit = (element: XmlElement, path: readonly string[]): void => {
    for (const child of element.children) {
      if (!inNamespaces(child, namespaces)) throw new WsmanFault('schemaValidation', [], `element {${child.ns}}${child.name}`);
      const childPath = [...path, child.name];
      if (child.children.length > 0) {
        visit(child, childPath);
        continue;
      }
      const id = childPath.join('/').toLowerCase();
      if (seen.has(id)) throw new WsmanFault('schemaValidation', [], `${childPath.join('/')} given twice`);
      seen.add(id);
      assignments.push({ path: childPath, value: child.text.trim() });
    }
  };
  visit(body, []);
  return assignments;
}

function inNamespaces(element: XmlElement, namespaces: readonly string[]): boolean {
  const ns = element.ns.toLowerCase();
  return namespaces.some((n) => n.toLowerCase() === ns);
}
