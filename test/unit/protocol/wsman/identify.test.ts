import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../../protocol/xml/parse-xml.js';
import { writeIdentifyResponse, type IdentifyFacts } from '../../../../protocol/wsman/identify.js';
import { NS } from '../../../../protocol/wsman/namespaces.js';
import { find, findAll, must, WSMID } from '../xml-query.js';

const FACTS: Omit<IdentifyFacts, 'authenticated'> = {
  productVendor: 'Microsoft Corporation',
  productVersion: 'OS: 10.0.20348 SP: 0.0 Stack: 3.0',
  profiles: ['basic'],
  transport: 'http',
};

describe('writeIdentifyResponse', () => {
  it('tells an authenticated caller the version and security profiles', () => {
    const root = parseXml(writeIdentifyResponse({ ...FACTS, authenticated: true }));
    expect(root).toMatchObject({ ns: NS.identity, name: 'IdentifyResponse' });
    expect(root.children.map((c) => c.name)).toEqual(['ProtocolVersion', 'ProductVendor', 'ProductVersion', 'SecurityProfiles']);
    expect(must(root, WSMID('ProtocolVersion')).text).toBe(NS.wsman);
    expect(must(root, WSMID('ProductVendor')).text).toBe('Microsoft Corporation');
    expect(must(root, WSMID('ProductVersion')).text).toBe('OS: 10.0.20348 SP: 0.0 Stack: 3.0');
    expect(findAll(root, WSMID('SecurityProfiles'), WSMID('SecurityProfileName')).map((e) => e.text)).toEqual([
      'http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/http/basic',
    ]);
  });

  it('tells an unauthenticated caller the stack with a zero system version, and no profiles', () => {
    const root = parseXml(writeIdentifyResponse({ ...FACTS, authenticated: false }));
    expect(root.children.map((c) => c.name)).toEqual(['ProtocolVersion', 'ProductVendor', 'ProductVersion']);
    expect(must(root, WSMID('ProductVersion')).text).toBe('OS: 0.0.0 SP: 0.0 Stack: 3.0');
    expect(find(root, WSMID('SecurityProfiles'))).toBeUndefined();
  });

  it.each(['http', 'https'] as const)('lists the profiles of the %s listener only, basic before spnego-kerberos, as Windows does', (transport) => {
    const root = parseXml(writeIdentifyResponse({ ...FACTS, profiles: ['spnego-kerberos', 'basic'], authenticated: true, transport }));
    expect(findAll(root, WSMID('SecurityProfiles'), WSMID('SecurityProfileName')).map((e) => e.text.split('/secprofile/')[1])).toEqual([
      `${transport}/basic`,
      `${transport}/spnego-kerberos`,
    ]);
  });

  it('writes an empty SecurityProfiles when no scheme is on offer', () => {
    const root = parseXml(writeIdentifyResponse({ ...FACTS, profiles: [], authenticated: true }));
    expect(must(root, WSMID('SecurityProfiles')).children).toEqual([]);
  });

  it('escapes vendor and version', () => {
    const root = parseXml(writeIdentifyResponse({ ...FACTS, productVendor: 'A & B <C>', productVersion: '"1"', authenticated: true }));
    expect(must(root, WSMID('ProductVendor')).text).toBe('A & B <C>');
    expect(must(root, WSMID('ProductVersion')).text).toBe('"1"');
  });
});
