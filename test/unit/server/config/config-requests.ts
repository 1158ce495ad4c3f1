/** Requests and readers for the configuration resource tests (dispatcher level). */
import { expect } from 'vitest';
import { ACTION } from '../../../../protocol/wsman/actions.js';
import { CONFIG_URI, LISTENER_URI } from '../../../../protocol/config/uris.js';
import type { XmlElement } from '../../../../protocol/xml/xml-tree.js';
import { escapeXml } from '../../../../protocol/xml/escape.js';
import type { Principal } from '../../../../server/principal.js';
import * as env from '../envelopes.js';

export { CONFIG_URI, LISTENER_URI };

export const OPERATOR: Principal = { name: 'olga', groups: ['Remote Management Users'], authScheme: 'Basic' };

export function getConfig(path = ''): env.BuiltRequest {
  return env.request({ action: ACTION.get, resourceUri: `${CONFIG_URI}${path}` });
}

/** A Put of `<cfg:Name xmlns:cfg=ns>inner</cfg:Name>` on `.../config{path}`. */
export function putConfig(path: string, name: string, inner: string, ns = `${CONFIG_URI}${path.toLowerCase()}`): env.BuiltRequest {
  return env.request({ action: ACTION.put, resourceUri: `${CONFIG_URI}${path}`, body: `<cfg:${name} xmlns:cfg="${ns}">${inner}</cfg:${name}>` });
}

/** Every value element below `resource`, as [path, text], in document order. */
export function flatten(resource: XmlElement, prefix = ''): [string, string][] {
  return resource.children.flatMap((child): [string, string][] => {
    const path = `${prefix}${child.name}`;
    return child.children.length > 0 ? flatten(child, `${path}/`) : [[path, child.text]];
  });
}

/** The single element of a Get or Put response body, in the namespace expected. */
export function resourceOf(body: XmlElement, ns: string, name: string): XmlElement {
  const [resource] = body.children;
  expect(body.children).toHaveLength(1);
  expect([resource?.ns, resource?.name]).toEqual([ns, name]);
  if (resource === undefined) throw new Error('empty body');
  return resource;
}

/** The children of `resource` written back as `cfg:` XML, as a client that Puts what it got does. */
export function innerXml(resource: XmlElement): string {
  return resource.children
    .map((child) => `<cfg:${child.name}>${child.children.length > 0 ? innerXml(child) : escapeXml(child.text)}</cfg:${child.name}>`)
    .join('');
}
