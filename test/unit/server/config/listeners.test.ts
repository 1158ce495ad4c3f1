/** The listener resource: Enumerate (with Pull and Release) and Get by Address and Transport. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../../protocol/wsman/actions.js';
import type { ListenerDescription } from '../../../../protocol/config/listener-xml.js';
import type { XmlElement } from '../../../../protocol/xml/xml-tree.js';
import { client, closeServices, defaultConfig, expectCatalogueFault, makeService, type Client } from '../dispatch-harness.js';
import * as env from '../envelopes.js';
import { LISTENER_URI, OPERATOR } from './config-requests.js';

const HTTP: ListenerDescription = {
  address: '*',
  transport: 'HTTP',
  port: 5985,
  hostname: '',
  enabled: true,
  urlPrefix: 'wsman',
  certificateThumbprint: '',
  listeningOn: ['192.0.2.10', '127.0.0.1'],
};
const HTTPS: ListenerDescription = { ...HTTP, address: 'IP:127.0.0.1', transport: 'HTTPS', port: 5986, certificateThumbprint: 'ABCD', listeningOn: ['127.0.0.1'] };

let c: Client;

beforeEach(async () => {
  const service = makeService(await defaultConfig());
  service.listeners.push(HTTP, HTTPS);
  c = client(service);
});

afterEach(async () => {
  await closeServices();
});

const enumerate = (body: string): env.BuiltRequest => env.request({ action: ACTION.enumerate, resourceUri: LISTENER_URI, body });
const get = (selectors: Record<string, string>): env.BuiltRequest => env.request({ action: ACTION.get, resourceUri: LISTENER_URI, selectors });
const field = (listener: XmlElement | undefined, name: string): string[] => listener?.children.filter((c) => c.name === name).map((c) => c.text) ?? [];

describe('Enumerate on .../config/listener', () => {
  it('lists every listener as a cfg:Listener, all at once when optimized', async () => {
    const view = await c.ok(enumerate('<n:Enumerate><w:OptimizeEnumeration/><w:MaxElements>10</w:MaxElements></n:Enumerate>'));
    const response = view.body.children[0];
    const items = response?.children.find((e) => e.name === 'Items')?.children ?? [];
    expect(items.map((i) => [i.ns, i.name])).toEqual([[LISTENER_URI, 'Listener'], [LISTENER_URI, 'Listener']]);
    expect(items.map((i) => [field(i, 'Transport')[0], field(i, 'Port')[0]])).toEqual([['HTTP', '5985'], ['HTTPS', '5986']]);
    expect(field(items[0], 'ListeningOn')).toEqual(['192.0.2.10', '127.0.0.1']);
    expect(response?.children.some((e) => e.name === 'EndOfSequence')).toBe(true);
  });

  it('hands the listeners out through Pull, and Release ends the context', async () => {
    const first = await c.ok(enumerate('<n:Enumerate/>'));
    const context = first.body.children[0]?.children.find((e) => e.name === 'EnumerationContext')?.text ?? '';
    const pull = (): env.BuiltRequest =>
      env.request({ action: ACTION.pull, resourceUri: LISTENER_URI, body: `<n:Pull><n:EnumerationContext>${context}</n:EnumerationContext></n:Pull>` });
    const page = await c.ok(pull());
    expect(field(page.body.children[0]?.children.find((e) => e.name === 'Items')?.children[0], 'Transport')).toEqual(['HTTP']);
    await c.ok(env.request({ action: ACTION.release, resourceUri: LISTENER_URI, body: `<n:Release><n:EnumerationContext>${context}</n:EnumerationContext></n:Release>` }));
    expectCatalogueFault(await c.fault(pull()), 'invalidEnumerationContext');
  });

  it('is for Administrators only', async () => {
    expectCatalogueFault(await c.fault(enumerate('<n:Enumerate/>'), OPERATOR), 'accessDenied');
  });
});

describe('Get on .../config/listener', () => {
  it('finds a listener by Address and Transport, in any case', async () => {
    const view = await c.ok(get({ Address: 'ip:127.0.0.1', Transport: 'https' }));
    const listener = view.body.children[0];
    expect([listener?.ns, listener?.name]).toEqual([LISTENER_URI, 'Listener']);
    expect(field(listener, 'CertificateThumbprint')).toEqual(['ABCD']);
  });

  it('names the missing selectors, and a listener that does not exist', async () => {
    expectCatalogueFault(await c.fault(get({ Address: '*' })), 'missingSelector');
    const fault = await c.fault(get({ Address: '*', Transport: 'HTTPS' }));
    expectCatalogueFault(fault, 'resourceNotFound');
    expect(fault.wsmanCode).toBe(2150858752);
  });
});
