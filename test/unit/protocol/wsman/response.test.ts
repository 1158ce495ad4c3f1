import { describe, expect, it } from 'vitest';
import { ACTION, responseAction } from '../../../../protocol/wsman/actions.js';
import { ANONYMOUS_ADDRESS, NS, PREFIX_DECLARATIONS } from '../../../../protocol/wsman/namespaces.js';
import { writeEnvelope } from '../../../../protocol/wsman/response.js';
import { A, must, readEnvelope, RSP, S } from '../xml-query.js';

describe('writeEnvelope', () => {
  const xml = writeEnvelope(
    { action: responseAction(ACTION.command), messageId: 'uuid:RESP-1', relatesTo: 'uuid:REQ-1', lang: 'en-US' },
    '<rsp:CommandResponse><rsp:CommandId>C1</rsp:CommandId></rsp:CommandResponse>',
  );
  const view = readEnvelope(xml);

  it('carries Action, MessageID, To anonymous and RelatesTo', () => {
    expect(view.action).toBe('http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandResponse');
    expect(view.messageId).toBe('uuid:RESP-1');
    expect(view.to).toBe(ANONYMOUS_ADDRESS);
    expect(view.relatesTo).toBe('uuid:REQ-1');
  });

  it('writes the headers in Windows’ order', () => {
    expect(view.header.children.map((c) => [c.ns, c.name])).toEqual([
      [NS.addressing, 'Action'],
      [NS.addressing, 'MessageID'],
      [NS.addressing, 'To'],
      [NS.addressing, 'RelatesTo'],
    ]);
  });

  it('sets xml:lang on the envelope', () => {
    expect(view.lang).toBe('en-US');
    expect(xml.startsWith('<s:Envelope xml:lang="en-US"')).toBe(true);
  });

  it('declares the prefixes Windows uses, so that body XML may use them', () => {
    for (const [prefix, uri] of Object.entries(PREFIX_DECLARATIONS)) expect(xml).toContain(`xmlns:${prefix}="${uri}"`);
    expect(must(view.body, RSP('CommandResponse'), RSP('CommandId')).text).toBe('C1');
  });

  it('leaves out the addressing headers for Identify', () => {
    const identify = readEnvelope(writeEnvelope({ lang: 'en-US' }, ''));
    expect(identify.header.children).toEqual([]);
    expect(identify.body.children).toEqual([]);
    expect(identify.lang).toBe('en-US');
  });

  it('leaves out RelatesTo when the request had no MessageID', () => {
    const noRelates = readEnvelope(writeEnvelope({ action: 'urn:x', messageId: 'uuid:M', lang: 'en-US' }, ''));
    expect(noRelates.relatesTo).toBeUndefined();
    expect(noRelates.action).toBe('urn:x');
  });

  it('escapes header values', () => {
    const odd = readEnvelope(writeEnvelope({ action: 'urn:a&b', messageId: 'uuid:<m>', relatesTo: 'uuid:"r"', lang: 'en-US' }, ''));
    expect(odd.action).toBe('urn:a&b');
    expect(odd.messageId).toBe('uuid:<m>');
    expect(odd.relatesTo).toBe('uuid:"r"');
  });

  it('writes an empty Body for an empty body string', () => {
    const empty = readEnvelope(writeEnvelope({ action: responseAction(ACTION.delete), messageId: 'uuid:M', lang: 'en-US' }, ''));
    expect(empty.body.children).toEqual([]);
    expect(must(empty.root, S('Header'), A('Action')).text).toBe('http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse');
  });
});

describe('responseAction', () => {
  it.each(Object.values(ACTION))('appends Response to %s', (action) => {
    expect(responseAction(action)).toBe(`${action}Response`);
  });
});
