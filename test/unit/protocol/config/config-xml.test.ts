import { describe, expect, it } from 'vitest';
import { parseConfigPut, writeConfigResource } from '../../../../protocol/config/config-xml.js';
import { writeListener } from '../../../../protocol/config/listener-xml.js';
import { configNamespace, configTreePath, CONFIG_URI, isListenerResource, LISTENER_URI } from '../../../../protocol/config/uris.js';
import { WsmanFault } from '../../../../protocol/wsman/fault.js';
import { parseXml } from '../../../../protocol/xml/parse-xml.js';

const SERVICE_NS = `${CONFIG_URI}/service`;
const body = (xml: string): ReturnType<typeof parseXml> => parseXml(xml);

function faultOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof WsmanFault) return error.fault;
    throw error;
  }
  return undefined;
}

describe('configuration resource URIs', () => {
  it.each([
    [CONFIG_URI, []],
    [`${CONFIG_URI}/service`, ['service']],
    ['HTTP://schemas.microsoft.com/wbem/wsman/1/config/Service/Auth', ['service', 'auth']],
    [`${CONFIG_URI}/winrs`, ['winrs']],
  ])('%s is the tree path %j', (uri, path) => {
    expect(configTreePath(uri)).toEqual(path);
  });

  it.each([[LISTENER_URI], [`${CONFIG_URI}/`], [`${CONFIG_URI}x`], ['http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd'], [undefined]])(
    '%s is not in the tree',
    (uri) => {
      expect(configTreePath(uri)).toBeUndefined();
    },
  );

  it('gives each sub-resource its own namespace, and knows the listener resource', () => {
    expect(configNamespace([])).toBe(CONFIG_URI);
    expect(configNamespace(['service', 'auth'])).toBe(`${CONFIG_URI}/service/auth`);
    expect(isListenerResource(`${CONFIG_URI}/Listener`)).toBe(true);
    expect(isListenerResource(CONFIG_URI)).toBe(false);
  });
});

describe('writeConfigResource', () => {
  it('writes nested cfg: elements with the namespace on the resource element, empty values open and closed', () => {
    const xml = writeConfigResource(
      { name: 'Service', children: [{ name: 'RootSDDL', value: 'O:NS&G' }, { name: 'Auth', children: [{ name: 'Basic', value: 'true' }] }, { name: 'CertificateThumbprint', value: '' }] },
      SERVICE_NS,
    );
    expect(xml).toBe(
      `<cfg:Service xmlns:cfg="${SERVICE_NS}"><cfg:RootSDDL>O:NS&amp;G</cfg:RootSDDL>` +
        '<cfg:Auth><cfg:Basic>true</cfg:Basic></cfg:Auth><cfg:CertificateThumbprint></cfg:CertificateThumbprint></cfg:Service>',
    );
  });
});

describe('parseConfigPut', () => {
  it('reads every leaf below the resource element, nested groups as paths', () => {
    const xml = `<c:Config xmlns:c="${CONFIG_URI}"><c:MaxTimeoutms> 90000 </c:MaxTimeoutms><c:Service><c:Auth><c:Basic>false</c:Basic></c:Auth></c:Service></c:Config>`;
    expect(parseConfigPut(body(xml), 'Config', [CONFIG_URI])).toEqual([
      { path: ['MaxTimeoutms'], value: '90000' },
      { path: ['Service', 'Auth', 'Basic'], value: 'false' },
    ]);
  });

  it("takes the sub-resource's namespace or the root's", () => {
    const own = `<p:Service xmlns:p="${SERVICE_NS}"><p:AllowUnencrypted>true</p:AllowUnencrypted></p:Service>`;
    const root = `<p:service xmlns:p="${CONFIG_URI}"><p:AllowUnencrypted>true</p:AllowUnencrypted></p:service>`;
    for (const xml of [own, root]) expect(parseConfigPut(body(xml), 'Service', [SERVICE_NS, CONFIG_URI])).toHaveLength(1);
  });

  it.each([
    ['another resource element', `<c:Winrs xmlns:c="${CONFIG_URI}"/>`],
    ['a foreign namespace', `<c:Config xmlns:c="urn:other"/>`],
    ['a foreign child', `<c:Config xmlns:c="${CONFIG_URI}" xmlns:o="urn:o"><o:MaxTimeoutms>1</o:MaxTimeoutms></c:Config>`],
    ['a property twice', `<c:Config xmlns:c="${CONFIG_URI}"><c:MaxTimeoutms>1</c:MaxTimeoutms><c:maxtimeoutms>2</c:maxtimeoutms></c:Config>`],
  ])('refuses %s with w:SchemaValidationError', (_label, xml) => {
    expect(faultOf(() => parseConfigPut(body(xml), 'Config', [CONFIG_URI]))).toBe('schemaValidation');
  });

  it('refuses an empty body', () => {
    expect(faultOf(() => parseConfigPut(undefined, 'Config', [CONFIG_URI]))).toBe('schemaValidation');
  });
});

describe('writeListener', () => {
  it('writes the fields in the order winrm enumerate shows them, one ListeningOn per address', () => {
    const xml = writeListener({
      address: '*',
      transport: 'HTTPS',
      port: 5986,
      hostname: '',
      enabled: true,
      urlPrefix: 'wsman',
      certificateThumbprint: 'AB12',
      listeningOn: ['10.0.0.5', '::1'],
    });
    const root = parseXml(xml);
    expect([root.ns, root.name]).toEqual([LISTENER_URI, 'Listener']);
    expect(root.children.map((c) => [c.name, c.text])).toEqual([
      ['Address', '*'],
      ['Transport', 'HTTPS'],
      ['Port', '5986'],
      ['Hostname', ''],
      ['Enabled', 'true'],
      ['URLPrefix', 'wsman'],
      ['CertificateThumbprint', 'AB12'],
      ['ListeningOn', '10.0.0.5'],
      ['ListeningOn', '::1'],
    ]);
  });
});
