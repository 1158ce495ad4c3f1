import { describe, expect, it } from 'vitest';
import { ACTION } from '../../../../protocol/wsman/actions.js';
import { WsmanFault } from '../../../../protocol/wsman/fault.js';
import type { FaultName } from '../../../../protocol/wsman/fault-catalogue.js';
import { NS } from '../../../../protocol/wsman/namespaces.js';
import { parseRequest, type WsmanRequest } from '../../../../protocol/wsman/request.js';
import { RESOURCE_URI } from '../../../../protocol/winrs/uris.js';

const MESSAGE_ID = 'uuid:0F3C2E51-7B6A-4C1D-9E22-5A1B3C4D5E6F';

/**
 * What pywinrm's open_shell sends (xmltodict.unparse of _get_soap_header plus the Shell body):
 * env:/a:/w:/p: prefixes, unqualified mustUnderstand, WINRS_NOPROFILE and WINRS_CODEPAGE.
 */
const PYWINRM_CREATE =
  '<?xml version="1.0" encoding="utf-8"?>\n' +
  '<env:Envelope xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  `xmlns:env="${NS.soap}" xmlns:a="${NS.addressing}" xmlns:b="http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd" ` +
  `xmlns:n="${NS.enumeration}" xmlns:x="${NS.transfer}" xmlns:w="${NS.wsman}" xmlns:p="${NS.wsmv}" ` +
  `xmlns:rsp="${NS.shell}" xmlns:cfg="${NS.config}">` +
  '<env:Header>' +
  '<a:To>http://windows-host:5985/wsman</a:To>' +
  '<a:ReplyTo><a:Address mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>' +
  '<w:MaxEnvelopeSize mustUnderstand="true">153600</w:MaxEnvelopeSize>' +
  `<a:MessageID>${MESSAGE_ID}</a:MessageID>` +
  '<w:Locale mustUnderstand="false" xml:lang="en-US"></w:Locale>' +
  '<p:DataLocale mustUnderstand="false" xml:lang="en-US"></p:DataLocale>' +
  '<w:OperationTimeout>PT20S</w:OperationTimeout>' +
  `<w:ResourceURI mustUnderstand="true">${RESOURCE_URI.cmdShell}</w:ResourceURI>` +
  `<a:Action mustUnderstand="true">${ACTION.create}</a:Action>` +
  '<w:OptionSet><w:Option Name="WINRS_NOPROFILE">FALSE</w:Option><w:Option Name="WINRS_CODEPAGE">437</w:Option></w:OptionSet>' +
  '</env:Header>' +
  '<env:Body><rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams>' +
  '<rsp:WorkingDirectory>/tmp</rsp:WorkingDirectory><rsp:IdleTimeOut>PT600.000S</rsp:IdleTimeOut>' +
  '<rsp:Environment><rsp:Variable Name="APP_MODE">test</rsp:Variable></rsp:Environment></rsp:Shell></env:Body>' +
  '</env:Envelope>';

interface Parts {
  readonly headers: string;
  readonly body?: string;
  readonly envelopeNs?: string;
}

/** An envelope in the s:/a:/w:/p: style of the notes' examples, around the given headers and body. */
function envelope({ headers, body = '', envelopeNs = NS.soap }: Parts): string {
  return (
    `<s:Envelope xmlns:s="${envelopeNs}" xmlns:a="${NS.addressing}" xmlns:w="${NS.wsman}" xmlns:p="${NS.wsmv}" ` +
    `xmlns:rsp="${NS.shell}" xmlns:wsmid="${NS.identity}">` +
    `<s:Header>${headers}</s:Header><s:Body>${body}</s:Body></s:Envelope>`
  );
}

const ACTION_HEADER = `<a:Action s:mustUnderstand="true">${ACTION.receive}</a:Action>`;
const MESSAGE_ID_HEADER = `<a:MessageID>${MESSAGE_ID}</a:MessageID>`;
const RESOURCE_HEADER = `<w:ResourceURI s:mustUnderstand="true">${RESOURCE_URI.cmdShell}</w:ResourceURI>`;
const BASIC_HEADERS = ACTION_HEADER + MESSAGE_ID_HEADER + RESOURCE_HEADER;

/** A request with the basic addressing headers plus `extra`. */
function withHeaders(extra: string, body = '<rsp:Receive/>'): string {
  return envelope({ headers: BASIC_HEADERS + extra, body });
}

function faultOf(xml: string): WsmanFault {
  try {
    parseRequest(xml);
  } catch (error) {
    if (error instanceof WsmanFault) return error;
    throw new Error(`expected a WsmanFault, got ${String(error)}`);
  }
  throw new Error('expected a WsmanFault, but the request parsed');
}

function expectFault(xml: string, fault: FaultName): void {
  expect(faultOf(xml).fault).toBe(fault);
}

describe('parseRequest on a pywinrm Create', () => {
  const request: WsmanRequest = parseRequest(PYWINRM_CREATE);

  it('reads the addressing and WS-Management headers', () => {
    expect(request).toMatchObject({
      action: ACTION.create,
      resourceUri: RESOURCE_URI.cmdShell,
      messageId: MESSAGE_ID,
      to: 'http://windows-host:5985/wsman',
      maxEnvelopeBytes: 153600,
      operationTimeoutMs: 20_000,
      locale: 'en-US',
      compressionType: undefined,
      isIdentify: false,
    });
  });

  it('reads the options by upper-cased name', () => {
    expect([...request.options]).toEqual([
      ['WINRS_NOPROFILE', 'FALSE'],
      ['WINRS_CODEPAGE', '437'],
    ]);
    expect(request.selectors.size).toBe(0);
  });

  it('hands over the rsp:Shell body element', () => {
    expect(request.body).toMatchObject({ ns: NS.shell, name: 'Shell' });
    expect(request.body?.children.map((c) => c.name)).toEqual(['InputStreams', 'OutputStreams', 'WorkingDirectory', 'IdleTimeOut', 'Environment']);
  });
});

describe('parseRequest on the notes’ composed Create (s: prefixes, qualified mustUnderstand)', () => {
  const xml = envelope({
    headers:
      '<a:To>http://srv01:5985/wsman</a:To>' +
      '<a:ReplyTo><a:Address s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>' +
      `<a:Action s:mustUnderstand="true">${ACTION.create}</a:Action>` +
      MESSAGE_ID_HEADER +
      RESOURCE_HEADER +
      '<w:MaxEnvelopeSize s:mustUnderstand="true">512000</w:MaxEnvelopeSize>' +
      '<w:OperationTimeout>PT60.000S</w:OperationTimeout>' +
      '<w:Locale xml:lang="de-DE" s:mustUnderstand="false"/>' +
      '<p:DataLocale xml:lang="en-US" s:mustUnderstand="false"/>' +
      '<p:SessionId s:mustUnderstand="false">uuid:11111111-2222-3333-4444-555555555555</p:SessionId>' +
      '<p:OperationID s:mustUnderstand="false">uuid:66666666-2222-3333-4444-555555555555</p:OperationID>' +
      '<p:SequenceId s:mustUnderstand="false">1</p:SequenceId>' +
      '<rsp:CompressionType s:mustUnderstand="true">xpress</rsp:CompressionType>' +
      '<w:OptionSet s:mustUnderstand="true"><w:Option Name="winrs_codepage" MustComply="true">65001</w:Option></w:OptionSet>',
    body: '<rsp:Shell ShellId="3E0B6C54-8D2A-4F71-B3E5-C7A9D1F20468"><rsp:InputStreams>stdin</rsp:InputStreams></rsp:Shell>',
  });

  it('accepts the headers it understands, even with mustUnderstand="true"', () => {
    const request = parseRequest(xml);
    expect(request).toMatchObject({
      action: ACTION.create,
      maxEnvelopeBytes: 512000,
      operationTimeoutMs: 60_000,
      locale: 'de-DE',
      compressionType: 'xpress',
    });
    expect(request.options.get('WINRS_CODEPAGE')).toBe('65001');
    expect(request.options.has('winrs_codepage')).toBe(false);
  });
});

describe('parseRequest on Identify', () => {
  it('needs no addressing headers', () => {
    const request = parseRequest(envelope({ headers: '', body: '<wsmid:Identify/>' }));
    expect(request).toMatchObject({ isIdentify: true, action: undefined, messageId: undefined, resourceUri: undefined });
    expect(request.body).toMatchObject({ ns: NS.identity, name: 'Identify' });
  });

  it('accepts an Identify with an empty self-closed header and its own prefix', () => {
    const xml =
      `<env:Envelope xmlns:env="${NS.soap}" xmlns:id="${NS.identity}"><env:Header/>` +
      '<env:Body><id:Identify></id:Identify></env:Body></env:Envelope>';
    expect(parseRequest(xml).isIdentify).toBe(true);
  });

  it('does not take pypsrp’s mistyped identify namespace for Identify', () => {
    const xml = envelope({ headers: '', body: '<x:Identify xmlns:x="http://schemas.dmtf.org/wbem/wsman/identify/1/wsmanidentity.xsd"/>' });
    expectFault(xml, 'missingHeader');
  });

  it('does not refuse unknown mustUnderstand headers on Identify', () => {
    const xml = envelope({ headers: '<z:Odd xmlns:z="urn:z" s:mustUnderstand="true"/>', body: '<wsmid:Identify/>' });
    expect(parseRequest(xml).isIdentify).toBe(true);
  });
});

describe('parseRequest header faults', () => {
  it.each<[string, string, FaultName]>([
    ['no Action', MESSAGE_ID_HEADER + RESOURCE_HEADER, 'missingHeader'],
    ['no MessageID', ACTION_HEADER + RESOURCE_HEADER, 'missingHeader'],
    ['no header at all', '', 'missingHeader'],
  ])('%s → %s', (_label, headers, fault) => {
    expectFault(envelope({ headers, body: '<rsp:Receive/>' }), fault);
  });

  it('reports a missing header with the addressing subcode', () => {
    const fault = faultOf(envelope({ headers: MESSAGE_ID_HEADER, body: '<rsp:Receive/>' }));
    expect(fault.spec.subcode).toBe('a:MessageInformationHeaderRequired');
    expect(fault.spec.wsmanCode).toBe(2150858769);
  });

  it('treats an Envelope without a Header like one with an empty Header', () => {
    const xml = `<s:Envelope xmlns:s="${NS.soap}"><s:Body/></s:Envelope>`;
    expectFault(xml, 'missingHeader');
  });

  it.each<[string, string, FaultName]>([
    ['PT-1S', 'PT-1S', 'invalidTimeoutHeader'],
    ['-PT1S', '-PT1S', 'invalidTimeoutHeader'],
    ['garbage', 'soon', 'invalidTimeoutHeader'],
    ['a bare number', '20', 'invalidTimeoutHeader'],
    ['P alone', 'P', 'invalidTimeoutHeader'],
    ['PT alone', 'PT', 'invalidTimeoutHeader'],
    ['empty', '', 'invalidTimeoutHeader'],
  ])('OperationTimeout %s → %s', (_label, value, fault) => {
    const error = faultOf(withHeaders(`<w:OperationTimeout>${value}</w:OperationTimeout>`));
    expect(error.fault).toBe(fault);
    expect(error.spec.subcode).toBe('a:InvalidMessageInformationHeader');
    expect(error.spec.wsmanCode).toBe(2150858767);
    // pypsrp test_psrp_is_alive_other_wsman_error.yml: the value is named in the message.
    expect(error.message).toBe(`The WS-Management service cannot process the request. The XML contains an invalid timeout field in the SOAP header: ${value.trim()}. `);
  });

  it.each([
    ['PT20S', 20_000],
    ['PT60.000S', 60_000],
    ['PT0.5S', 500],
    [' PT1M ', 60_000],
    ['P0DT0H0M3S', 3_000],
  ])('OperationTimeout %s is %d ms', (value, ms) => {
    expect(parseRequest(withHeaders(`<w:OperationTimeout>${value}</w:OperationTimeout>`)).operationTimeoutMs).toBe(ms);
  });

  it('has no OperationTimeout when none is sent', () => {
    expect(parseRequest(withHeaders('')).operationTimeoutMs).toBeUndefined();
    expect(parseRequest(withHeaders('')).maxEnvelopeBytes).toBeUndefined();
  });

  it.each<[string, FaultName]>([
    ['4096', 'maxEnvelopeSizeTooSmall'],
    ['8191', 'maxEnvelopeSizeTooSmall'],
    ['0', 'maxEnvelopeSizeTooSmall'],
    ['-1', 'invalidHeader'],
    ['big', 'invalidHeader'],
    ['1.5', 'invalidHeader'],
    ['12345678901', 'invalidHeader'],
  ])('MaxEnvelopeSize %s → %s', (value, fault) => {
    expectFault(withHeaders(`<w:MaxEnvelopeSize s:mustUnderstand="true">${value}</w:MaxEnvelopeSize>`), fault);
  });

  it('reports MaxEnvelopeSize below 8192 as the encoding limit [MS-WSMV] 3.1.4.1.7 asks for', () => {
    const fault = faultOf(withHeaders('<w:MaxEnvelopeSize>4096</w:MaxEnvelopeSize>'));
    expect(fault.spec).toMatchObject({ code: 'Sender', subcode: 'w:EncodingLimit', wsmanCode: 2150858805 });
  });

  it.each([
    ['8192', 8192],
    [' 153600 ', 153600],
  ])('MaxEnvelopeSize %s is %d bytes', (value, bytes) => {
    expect(parseRequest(withHeaders(`<w:MaxEnvelopeSize>${value}</w:MaxEnvelopeSize>`)).maxEnvelopeBytes).toBe(bytes);
  });
});

describe('parseRequest mustUnderstand', () => {
  const unknown = (flag: string, qualified = true): string =>
    `<z:Odd xmlns:z="urn:example:odd" ${qualified ? 's:' : ''}mustUnderstand="${flag}">1</z:Odd>`;

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['true (unqualified, as pywinrm writes it)', false],
  ])('refuses an unknown header with mustUnderstand="%s"', (label, qualified) => {
    const flag = label.split(' ')[0] ?? label;
    const fault = faultOf(withHeaders(unknown(flag, qualified)));
    expect(fault.fault).toBe('mustUnderstand');
    expect(fault.spec).toMatchObject({ code: 'MustUnderstand', wsmanCode: 2150858768 });
    expect(fault.spec.subcode).toBeUndefined();
  });

  it.each(['false', '0', 'FALSE'])('accepts an unknown header with mustUnderstand="%s"', (flag) => {
    expect(parseRequest(withHeaders(unknown(flag))).action).toBe(ACTION.receive);
  });

  it('accepts an unknown header without mustUnderstand', () => {
    expect(parseRequest(withHeaders('<z:Odd xmlns:z="urn:z">1</z:Odd>')).messageId).toBe(MESSAGE_ID);
  });

  it('refuses a known local name in an unknown namespace', () => {
    expectFault(withHeaders('<z:Action xmlns:z="urn:not-addressing" s:mustUnderstand="true">x</z:Action>'), 'mustUnderstand');
  });
});

describe('parseRequest envelope shape', () => {
  it('answers a SOAP 1.1 envelope with versionMismatch', () => {
    const fault = faultOf(envelope({ headers: BASIC_HEADERS, body: '<rsp:Receive/>', envelopeNs: NS.soap11 }));
    expect(fault.fault).toBe('versionMismatch');
    expect(fault.spec).toMatchObject({ code: 'VersionMismatch', wsmanCode: 2150858765 });
  });

  it.each<[string, string, FaultName]>([
    ['not XML', 'hello', 'invalidXml'],
    ['a truncated envelope', withHeaders('').slice(0, 120), 'invalidXml'],
    ['a DTD', `<!DOCTYPE s:Envelope>${withHeaders('')}`, 'invalidXml'],
    ['an undeclared prefix', withHeaders('<q:Odd/>'), 'invalidXml'],
    ['a root that is not an Envelope', `<s:Body xmlns:s="${NS.soap}"/>`, 'schemaValidation'],
    ['an Envelope without a Body', `<s:Envelope xmlns:s="${NS.soap}"><s:Header/></s:Envelope>`, 'schemaValidation'],
    ['an Envelope in no namespace', '<Envelope><Body/></Envelope>', 'versionMismatch'],
  ])('refuses %s with %s', (_label, xml, fault) => {
    expectFault(xml, fault);
  });

  it('reports invalid XML with the WS-Management schema subcode and 2150858819', () => {
    const fault = faultOf('<s:Envelope');
    expect(fault.spec).toMatchObject({ code: 'Sender', subcode: 'w:SchemaValidationError', wsmanCode: 2150858819 });
    expect(fault.logDetail).toMatch(/malformed XML/);
  });

  it('takes the first element of the Body, and none for an empty Body', () => {
    expect(parseRequest(withHeaders('', '<rsp:Send/><rsp:Receive/>')).body?.name).toBe('Send');
    expect(parseRequest(withHeaders('', '')).body).toBeUndefined();
  });
});

describe('parseRequest selectors, options and locale', () => {
  it.each(['ShellId', 'ShellID', 'shellid', 'SHELLID'])('finds the %s selector as shellid', (name) => {
    const request = parseRequest(
      withHeaders(`<w:SelectorSet><w:Selector Name="${name}"> 3E0B6C54-8D2A-4F71-B3E5-C7A9D1F20468 </w:Selector></w:SelectorSet>`),
    );
    expect([...request.selectors]).toEqual([['shellid', '3E0B6C54-8D2A-4F71-B3E5-C7A9D1F20468']]);
  });

  it('upper-cases option names and keeps their values', () => {
    const request = parseRequest(
      withHeaders(
        '<w:OptionSet><w:Option Name="WINRS_CONSOLEMODE_STDIN">TRUE</w:Option>' +
          '<w:Option Name="winrs_skip_cmd_shell">False</w:Option>' +
          '<w:Option Name="WSMAN_CMDSHELL_OPTION_KEEPALIVE">true</w:Option></w:OptionSet>',
      ),
    );
    expect(Object.fromEntries(request.options)).toEqual({
      WINRS_CONSOLEMODE_STDIN: 'TRUE',
      WINRS_SKIP_CMD_SHELL: 'False',
      WSMAN_CMDSHELL_OPTION_KEEPALIVE: 'true',
    });
  });

  it('ignores SelectorSet children that are not w:Selector', () => {
    const request = parseRequest(
      withHeaders('<w:SelectorSet><z:Selector xmlns:z="urn:z" Name="x">1</z:Selector><w:Selector Name="ShellId">S</w:Selector></w:SelectorSet>'),
    );
    expect([...request.selectors]).toEqual([['shellid', 'S']]);
  });

  it.each([
    ['Selector', '<w:SelectorSet><w:Selector>S</w:Selector></w:SelectorSet>'],
    ['Option', '<w:OptionSet><w:Option>1</w:Option></w:OptionSet>'],
  ])('refuses a %s without a Name as an invalid header', (_label, header) => {
    expectFault(withHeaders(header), 'invalidHeader');
  });

  it.each([
    ['<w:Locale xml:lang="en-US" s:mustUnderstand="false"/>', 'en-US'],
    ['<w:Locale xml:lang="fr-FR"></w:Locale>', 'fr-FR'],
    ['<w:Locale/>', undefined],
    ['<p:DataLocale xml:lang="de-DE"/>', undefined],
    ['', undefined],
  ])('reads the locale of %s', (header, locale) => {
    expect(parseRequest(withHeaders(header)).locale).toBe(locale);
  });

  it.each([
    ['<w:Locale xml:lang="de-DE" s:mustUnderstand="true"/>', 'localeMustUnderstand', 'Locale'],
    ['<w:Locale xml:lang="en-US" mustUnderstand="1"/>', 'localeMustUnderstand', 'Locale'],
    ['<p:DataLocale xml:lang="en-US" s:mustUnderstand="true"/>', 'dataLocaleMustUnderstand', 'DataLocale'],
  ])('refuses %s with w:UnsupportedFeature ([MS-WSMV] 3.1.4.1.8, 3.1.4.1.9)', (header, fault, detail) => {
    const error = faultOf(withHeaders(header));
    expect(error.fault).toBe(fault);
    expect(error.spec.subcode).toBe('w:UnsupportedFeature');
    expect(error.spec.faultDetail).toBe(`http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/${detail}`);
  });

  it('takes a Locale it may ignore (mustUnderstand false or absent) whatever the language', () => {
    expect(parseRequest(withHeaders('<w:Locale xml:lang="xx-YY" s:mustUnderstand="false"/>')).locale).toBe('xx-YY');
  });

  it('trims header text', () => {
    const xml = envelope({
      headers: `<a:Action>\n  ${ACTION.signal}  \n</a:Action><a:MessageID> ${MESSAGE_ID} </a:MessageID><w:ResourceURI> ${RESOURCE_URI.cmdShell}\n</w:ResourceURI>`,
      body: '<rsp:Signal/>',
    });
    expect(parseRequest(xml)).toMatchObject({ action: ACTION.signal, messageId: MESSAGE_ID, resourceUri: RESOURCE_URI.cmdShell });
  });
});

/**
 * The clients spell the same envelope with different prefixes: pywinrm and masterzen/winrm env:,
 * PowerShell and pypsrp s:, pypsrp wsa:/wsman:/wsmv:, others a default namespace. Namespaces are
 * matched by URI, never by prefix, so each spelling must mean the same request.
 */
describe('parseRequest with every prefix spelling', () => {
  /** PYWINRM_CREATE with each prefix renamed; '' makes that namespace the default one. */
  function respelled(renames: Readonly<Record<string, string>>): string {
    let xml = PYWINRM_CREATE;
    for (const [from, to] of Object.entries(renames)) {
      xml = xml
        .replaceAll(`xmlns:${from}=`, to === '' ? 'xmlns=' : `xmlns:${to}=`)
        .replaceAll(`<${from}:`, to === '' ? '<' : `<${to}:`)
        .replaceAll(`</${from}:`, to === '' ? '</' : `</${to}:`);
    }
    return xml;
  }

  const expected = parseRequest(PYWINRM_CREATE);

  it.each([
    ['s:, as PowerShell and pypsrp write the envelope', { env: 's' }],
    ['wsa:, wsman:, wsmv:, as pypsrp names its namespaces', { env: 's', a: 'wsa', w: 'wsman', p: 'wsmv' }],
    ['long prefixes', { env: 'soap', a: 'addressing', w: 'management', rsp: 'shell' }],
    ['the SOAP namespace as the default one', { env: '' }],
    ['the shell namespace as the default one', { rsp: '' }],
  ])('%s', (_label, renames) => {
    const xml = respelled(renames);
    expect(xml).not.toBe(PYWINRM_CREATE);
    const request = parseRequest(xml);
    expect(request).toMatchObject({
      action: expected.action,
      resourceUri: expected.resourceUri,
      messageId: expected.messageId,
      maxEnvelopeBytes: expected.maxEnvelopeBytes,
      operationTimeoutMs: expected.operationTimeoutMs,
      locale: expected.locale,
    });
    expect([...request.options]).toEqual([...expected.options]);
    expect(request.body).toMatchObject({ ns: NS.shell, name: 'Shell' });
    expect(request.body?.children.map((c) => c.name)).toEqual(expected.body?.children.map((c) => c.name));
  });

  it('takes namespaces declared on each header instead of the envelope', () => {
    const xml = PYWINRM_CREATE.replace(`xmlns:a="${NS.addressing}" `, '')
      .replace('<a:To>', `<a:To xmlns:a="${NS.addressing}">`)
      .replace('<a:ReplyTo>', `<a:ReplyTo xmlns:a="${NS.addressing}">`)
      .replace('<a:MessageID>', `<a:MessageID xmlns:a="${NS.addressing}">`)
      .replace('<a:Action ', `<a:Action xmlns:a="${NS.addressing}" `);
    expect(parseRequest(xml)).toMatchObject({ action: ACTION.create, messageId: MESSAGE_ID, to: 'http://windows-host:5985/wsman' });
  });

  it('refuses a prefix that nothing declares', () => {
    expectFault(PYWINRM_CREATE.replace(`xmlns:w="${NS.wsman}" `, ''), 'invalidXml');
  });
});
