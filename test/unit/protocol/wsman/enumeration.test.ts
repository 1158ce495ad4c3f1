import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../../protocol/xml/parse-xml.js';
import { WsmanFault } from '../../../../protocol/wsman/fault.js';
import type { FaultName } from '../../../../protocol/wsman/fault-catalogue.js';
import {
  parseEnumerate,
  parsePull,
  parseRelease,
  writeEnumerateResponse,
  writePullResponse,
  writeReleaseResponse,
} from '../../../../protocol/wsman/enumeration.js';
import { NS } from '../../../../protocol/wsman/namespaces.js';
import { writeEnvelope } from '../../../../protocol/wsman/response.js';
import { find, findAll, must, N, readEnvelope, RSP, W } from '../xml-query.js';

/** A body element with the n:/w: prefixes declared on it. */
function body(xml: string): ReturnType<typeof parseXml> {
  const declarations = `xmlns:n="${NS.enumeration}" xmlns:w="${NS.wsman}"`;
  return parseXml(xml.replace(/^<([\w:]+)/, `<$1 ${declarations}`));
}

function faultName(run: () => unknown): FaultName {
  try {
    run();
  } catch (error) {
    if (error instanceof WsmanFault) return error.fault;
    throw error;
  }
  throw new Error('expected a WsmanFault');
}

const ITEM = (id: string): string => `<rsp:Shell xmlns:rsp="${NS.shell}"><rsp:ShellId>${id}</rsp:ShellId></rsp:Shell>`;

describe('parseEnumerate', () => {
  it.each([
    ['a plain Enumerate', '<n:Enumerate/>', { optimize: false, maxElements: 1, hasFilter: false }],
    [
      'an optimized Enumerate',
      '<n:Enumerate><w:OptimizeEnumeration/><w:MaxElements>32000</w:MaxElements></n:Enumerate>',
      { optimize: true, maxElements: 32000, hasFilter: false },
    ],
    ['an optimized Enumerate without MaxElements', '<n:Enumerate><w:OptimizeEnumeration/></n:Enumerate>', { optimize: true, maxElements: 1, hasFilter: false }],
    [
      'a wsman:Filter',
      '<n:Enumerate><w:Filter Dialect="http://schemas.dmtf.org/wbem/wsman/1/wsman/SelectorFilter">x</w:Filter></n:Enumerate>',
      { optimize: false, maxElements: 1, hasFilter: true },
    ],
    ['an n:Filter', '<n:Enumerate><n:Filter>x</n:Filter></n:Enumerate>', { optimize: false, maxElements: 1, hasFilter: true }],
    ['MaxElements with whitespace', '<n:Enumerate><w:MaxElements> 5 </w:MaxElements></n:Enumerate>', { optimize: false, maxElements: 5, hasFilter: false }],
  ])('reads %s', (_label, xml, expected) => {
    expect(parseEnumerate(body(xml))).toEqual(expected);
  });

  it('does not take OptimizeEnumeration or MaxElements from the enumeration namespace', () => {
    expect(parseEnumerate(body('<n:Enumerate><n:OptimizeEnumeration/><n:MaxElements>9</n:MaxElements></n:Enumerate>'))).toEqual({
      optimize: false,
      maxElements: 1,
      hasFilter: false,
    });
  });

  it.each<[string, string | undefined, FaultName]>([
    ['no body', undefined, 'schemaValidation'],
    ['a Pull body', '<n:Pull/>', 'schemaValidation'],
    ['Enumerate in the wrong namespace', '<w:Enumerate/>', 'schemaValidation'],
    ['MaxElements 0', '<n:Enumerate><w:MaxElements>0</w:MaxElements></n:Enumerate>', 'invalidParameter'],
    ['MaxElements -1', '<n:Enumerate><w:MaxElements>-1</w:MaxElements></n:Enumerate>', 'invalidParameter'],
    ['MaxElements text', '<n:Enumerate><w:MaxElements>many</w:MaxElements></n:Enumerate>', 'invalidParameter'],
    ['MaxElements too long', '<n:Enumerate><w:MaxElements>1234567890</w:MaxElements></n:Enumerate>', 'invalidParameter'],
  ])('refuses %s with %s', (_label, xml, fault) => {
    expect(faultName(() => parseEnumerate(xml === undefined ? undefined : body(xml)))).toBe(fault);
  });
});

describe('parsePull and parseRelease', () => {
  it('reads the context and MaxElements of a Pull', () => {
    expect(
      parsePull(body('<n:Pull><n:EnumerationContext> uuid:CTX </n:EnumerationContext><n:MaxElements>20</n:MaxElements></n:Pull>')),
    ).toEqual({ context: 'uuid:CTX', maxElements: 20 });
    expect(parsePull(body('<n:Pull><n:EnumerationContext>uuid:CTX</n:EnumerationContext></n:Pull>'))).toEqual({
      context: 'uuid:CTX',
      maxElements: 1,
    });
  });

  it('reads the context of a Release', () => {
    expect(parseRelease(body('<n:Release><n:EnumerationContext>uuid:CTX</n:EnumerationContext></n:Release>'))).toBe('uuid:CTX');
  });

  it.each<[string, () => unknown, FaultName]>([
    ['a Pull without a context', () => parsePull(body('<n:Pull/>')), 'invalidEnumerationContext'],
    ['a Pull with an empty context', () => parsePull(body('<n:Pull><n:EnumerationContext> </n:EnumerationContext></n:Pull>')), 'invalidEnumerationContext'],
    ['a Release without a context', () => parseRelease(body('<n:Release/>')), 'invalidEnumerationContext'],
    ['a Release body given to Pull', () => parsePull(body('<n:Release/>')), 'schemaValidation'],
    ['a Pull body given to Release', () => parseRelease(body('<n:Pull/>')), 'schemaValidation'],
    ['no body for Pull', () => parsePull(undefined), 'schemaValidation'],
    [
      'a Pull with MaxElements 0',
      () => parsePull(body('<n:Pull><n:EnumerationContext>c</n:EnumerationContext><n:MaxElements>0</n:MaxElements></n:Pull>')),
      'invalidParameter',
    ],
  ])('refuses %s with %s', (_label, run, fault) => {
    expect(faultName(run)).toBe(fault);
  });
});

/** Wraps a body in a response envelope and parses it, as a client would. */
function parsedBody(xml: string): ReturnType<typeof parseXml> {
  return readEnvelope(writeEnvelope({ action: 'urn:x', lang: 'en-US' }, xml)).body;
}

describe('writeEnumerateResponse', () => {
  it('returns only a context when not optimized', () => {
    const response = must(parsedBody(writeEnumerateResponse('uuid:CTX', undefined)), N('EnumerateResponse'));
    expect(response.children.map((c) => [c.ns, c.name, c.text])).toEqual([[NS.enumeration, 'EnumerationContext', 'uuid:CTX']]);
  });

  it('returns an empty context, w:Items and w:EndOfSequence when optimized and everything fits, as Windows does', () => {
    const response = must(parsedBody(writeEnumerateResponse(undefined, [ITEM('A'), ITEM('B')])), N('EnumerateResponse'));
    expect(response.children.map((c) => c.name)).toEqual(['EnumerationContext', 'Items', 'EndOfSequence']);
    expect(must(response, N('EnumerationContext')).text).toBe('');
    expect(findAll(response, W('Items'), RSP('Shell')).map((s) => must(s, RSP('ShellId')).text)).toEqual(['A', 'B']);
    expect(find(response, W('EndOfSequence'))).toBeDefined();
    expect(find(response, N('EndOfSequence'))).toBeUndefined();
  });

  it('returns a context and no EndOfSequence when optimized items remain', () => {
    const response = must(parsedBody(writeEnumerateResponse('uuid:MORE', [ITEM('A')])), N('EnumerateResponse'));
    expect(must(response, N('EnumerationContext')).text).toBe('uuid:MORE');
    expect(findAll(response, W('Items'), RSP('Shell'))).toHaveLength(1);
    expect(find(response, W('EndOfSequence'))).toBeUndefined();
  });

  it('writes no w:Items for an optimized enumeration of nothing, only the empty context and the end', () => {
    const response = must(parsedBody(writeEnumerateResponse(undefined, [])), N('EnumerateResponse'));
    expect(response.children.map((c) => c.name)).toEqual(['EnumerationContext', 'EndOfSequence']);
    expect(find(response, W('Items'))).toBeUndefined();
  });

  it('escapes the context', () => {
    const response = must(parsedBody(writeEnumerateResponse('a<&>b', undefined)), N('EnumerateResponse'));
    expect(must(response, N('EnumerationContext')).text).toBe('a<&>b');
  });
});

describe('writePullResponse', () => {
  it('uses n:Items and n:EndOfSequence at the end', () => {
    const response = must(parsedBody(writePullResponse(undefined, [ITEM('A')])), N('PullResponse'));
    expect(findAll(response, N('Items'), RSP('Shell'))).toHaveLength(1);
    expect(find(response, N('EndOfSequence'))).toBeDefined();
    expect(find(response, N('EnumerationContext'))).toBeUndefined();
    expect(find(response, W('Items'))).toBeUndefined();
  });

  it('returns the context while items remain', () => {
    const response = must(parsedBody(writePullResponse('uuid:CTX', [ITEM('A'), ITEM('B')])), N('PullResponse'));
    expect(must(response, N('EnumerationContext')).text).toBe('uuid:CTX');
    expect(findAll(response, N('Items'), RSP('Shell'))).toHaveLength(2);
    expect(find(response, N('EndOfSequence'))).toBeUndefined();
  });
});

describe('writeReleaseResponse', () => {
  it('is an empty body', () => {
    expect(writeReleaseResponse()).toBe('');
  });
});
