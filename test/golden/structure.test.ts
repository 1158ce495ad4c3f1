/** The structural comparer finds each kind of difference the golden tests rely on it to find. */
import { describe, expect, it } from 'vitest';
import { compareStructure, valueMatches } from './structure.js';

const S = 'http://www.w3.org/2003/05/soap-envelope';
const doc = (inner: string, prefix = 's'): string => `<${prefix}:Envelope xmlns:${prefix}="${S}" xmlns:f="urn:f">${inner}</${prefix}:Envelope>`;

describe('compareStructure', () => {
  it('finds nothing between documents that differ only in prefixes and layout', () => {
    expect(compareStructure(doc('\n  <s:Body>\n    <f:A x="1">t</f:A>\n  </s:Body>\n'), doc('<e:Body><g:A xmlns:g="urn:f" x="1">t</g:A></e:Body>', 'e'))).toEqual([]);
  });

  it.each([
    ['a renamed element', '<s:Body><f:A/></s:Body>', '<s:Body><f:B/></s:Body>'],
    ['an element in another namespace', '<s:Body><f:A/></s:Body>', '<s:Body><g:A xmlns:g="urn:g"/></s:Body>'],
    ['children in another order', '<s:Body><f:A/><f:B/></s:Body>', '<s:Body><f:B/><f:A/></s:Body>'],
    ['a missing child', '<s:Body><f:A/><f:B/></s:Body>', '<s:Body><f:A/></s:Body>'],
    ['an extra attribute', '<s:Body><f:A/></s:Body>', '<s:Body><f:A End="true"/></s:Body>'],
    ['another attribute value', '<s:Body><f:A x="1"/></s:Body>', '<s:Body><f:A x="2"/></s:Body>'],
    ['other text', '<s:Body><f:A>one </f:A></s:Body>', '<s:Body><f:A>one</f:A></s:Body>'],
    ['a GUID where a GUID is expected, but malformed', '<s:Body><f:A>{uuid}</f:A></s:Body>', '<s:Body><f:A>uuid:not-a-guid</f:A></s:Body>'],
    ['an empty value where a host is expected', '<s:Body><f:A Machine="{host}"/></s:Body>', '<s:Body><f:A Machine=""/></s:Body>'],
  ])('reports %s', (_label, expected, actual) => {
    expect(compareStructure(doc(expected), doc(actual))).not.toEqual([]);
  });

  it('names where the difference is', () => {
    const [difference] = compareStructure(doc('<s:Body><f:A><f:B>1</f:B></f:A></s:Body>'), doc('<s:Body><f:A><f:B>2</f:B></f:A></s:Body>'));
    expect(difference?.at).toBe(`/{${S}}Envelope[0]/{${S}}Body[0]/{urn:f}A[0]/{urn:f}B`);
  });
});

describe('valueMatches', () => {
  it.each([
    ['{uuid}', 'uuid:0F3C2E51-7B6A-4C1D-9E22-5A1B3C4D5E6F', true],
    ['{uuid}', '0f3c2e51-7b6a-4c1d-9e22-5a1b3c4d5e6f', true],
    ['{uuid}', 'uuid:0F3C2E51', false],
    ['{duration}', 'PT7200.000S', true],
    ['{duration}', 'P0DT0H0M0S', true],
    ['{duration}', '7200', false],
    ['{base64}', 'b3V0IA0K', true],
    ['{base64}', 'not base64!', false],
    ['*', '', true],
    ['literal', 'literal', true],
    ['literal', 'literal ', false],
  ])('%s ~ %s → %s', (expected, actual, result) => {
    expect(valueMatches(expected, actual)).toBe(result);
  });
});
