import { describe, expect, it } from 'vitest';
import { FAULT_ACTION } from '../../../../protocol/wsman/actions.js';
import { faultAction, faultTexts, WsmanFault, writeFaultBody, type FaultProvider } from '../../../../protocol/wsman/fault.js';
import { FAULTS, type FaultName } from '../../../../protocol/wsman/fault-catalogue.js';
import { NS } from '../../../../protocol/wsman/namespaces.js';
import { writeEnvelope } from '../../../../protocol/wsman/response.js';
import { readFault } from '../xml-query.js';

const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

const PLUGIN: FaultProvider = { name: 'Shell cmd plugin', path: '%systemroot%\\system32\\winrscmd.dll' };

/** The s:Fault element for `fault`, in en-US unless a locale is given. */
function body(fault: WsmanFault, machine = 'M', locale?: string, provider?: FaultProvider): string {
  return writeFaultBody(fault, { machine, texts: faultTexts(fault, locale), provider });
}

/** A fault as the dispatcher sends it: the body inside a response envelope. */
function faultEnvelope(fault: WsmanFault, machine = 'SRV01', relatesTo = 'uuid:REQ', provider?: FaultProvider): string {
  return writeEnvelope({ action: faultAction(fault.spec), messageId: 'uuid:RESP', relatesTo, lang: 'en-US' }, body(fault, machine, undefined, provider));
}

describe('writeFaultBody', () => {
  it.each(FAULT_NAMES)('%s parses back with the catalogue’s code, subcode, number and text', (name) => {
    const spec = FAULTS[name];
    const fault = new WsmanFault(name, ['ARG0']);
    const view = readFault(faultEnvelope(fault));
    expect(view.code).toBe(`s:${spec.code}`);
    expect(view.subcode).toBe('subcode' in spec ? spec.subcode : undefined);
    expect(view.wsmanCode).toBe(spec.wsmanCode);
    expect(view.machine).toBe('SRV01');
    expect(view.reason).toBe('reason' in spec ? spec.reason : fault.message);
    expect(view.reasonLang).toBe('en-US');
    expect(view.message).toBe(fault.message);
    expect(view.faultDetail).toBe('faultDetail' in spec ? spec.faultDetail : undefined);
    expect(view.envelope.action).toBe(faultAction(spec));
    expect(view.envelope.relatesTo).toBe('uuid:REQ');
  });

  it('writes subcodes with prefixes the envelope declares', () => {
    // The subcode is a QName in element content: its prefix must be declared on the envelope.
    const xml = faultEnvelope(new WsmanFault('timedOut'));
    expect(xml).toContain(`xmlns:w="${NS.wsman}"`);
    expect(xml).toContain(`xmlns:a="${NS.addressing}"`);
    expect(xml).toContain(`xmlns:n="${NS.enumeration}"`);
    expect(xml).toContain('<s:Subcode><s:Value>w:TimedOut</s:Value></s:Subcode>');
  });

  it('escapes the message and the machine name', () => {
    const fault = new WsmanFault('unknownShell', ['<x&y "q">']);
    const xml = faultEnvelope(fault, 'host<&>"');
    expect(xml).not.toContain('<x&y');
    const view = readFault(xml);
    expect(view.message).toContain('ShellId <x&y "q"> failed');
    expect(view.machine).toBe('host<&>"');
  });

  it('puts the WSManFault in the wsmanfault namespace, where pywinrm looks for @Code', () => {
    const xml = body(new WsmanFault('timedOut'));
    expect(xml).toContain(`<f:WSManFault xmlns:f="${NS.wsmanFault}" Code="2150858793" Machine="M">`);
  });

  it('writes the Reason in en-US when asked for en-US, in any case', () => {
    for (const locale of ['en-US', 'EN-us', undefined]) {
      const view = readFault(writeEnvelope({ action: FAULT_ACTION.wsman, lang: 'en-US' }, body(new WsmanFault('accessDenied'), 'M', locale)));
      expect(view.reasonLang).toBe('en-US');
      expect(view.reason).toBe('Access is denied. ');
    }
  });

  it('falls back to en-US, and says so in xml:lang, for a language it has no texts in', () => {
    // DSP0226 6.3: the locale is a wish; Windows answers in its own language when it lacks the one asked for.
    const texts = faultTexts(new WsmanFault('timedOut'), 'de-DE');
    expect(texts.lang).toBe('en-US');
    expect(texts.message).toBe(FAULTS.timedOut.message);
    const view = readFault(writeEnvelope({ action: FAULT_ACTION.wsman, lang: texts.lang }, body(new WsmanFault('timedOut'), 'M', 'de-DE')));
    expect(view.reasonLang).toBe('en-US');
  });

  it('puts the generic selector text in the Reason and WinRS’ own text in the Message, as Windows does', () => {
    // pywinrm winrm/tests/winrm_responses/shells.py, pypsrp test_winrs_bad_cmd_id.yml.
    const view = readFault(faultEnvelope(new WsmanFault('unknownShell', ['B387C9DF'])));
    expect(view.reason).toBe('The WS-Management service cannot process the request because the request contained invalid selectors for the resource. ');
    expect(view.message).toMatch(/^The request for the Windows Remote Shell with ShellId B387C9DF failed because the shell was not found on the server\./);
  });

  it('writes w:FaultDetail before f:WSManFault inside s:Detail', () => {
    const xml = body(new WsmanFault('unknownCommand'));
    expect(xml.indexOf('<w:FaultDetail>')).toBeGreaterThan(-1);
    expect(xml.indexOf('<w:FaultDetail>')).toBeLessThan(xml.indexOf('<f:WSManFault'));
  });

  it('wraps a plugin’s fault in f:ProviderFault naming the plugin', () => {
    const view = readFault(faultEnvelope(new WsmanFault('invalidParameter'), 'M', 'uuid:REQ', PLUGIN));
    expect(view.provider).toBe('Shell cmd plugin');
    expect(view.message).toBe('The parameter is incorrect. ');
    expect(body(new WsmanFault('invalidParameter'), 'M', undefined, PLUGIN)).toContain(
      '<f:Message><f:ProviderFault provider="Shell cmd plugin" path="%systemroot%\\system32\\winrscmd.dll">The parameter is incorrect. </f:ProviderFault></f:Message>',
    );
  });

  it('names no provider for a fault of the service itself, whatever the resource', () => {
    const view = readFault(faultEnvelope(new WsmanFault('timedOut'), 'M', 'uuid:REQ', PLUGIN));
    expect(view.provider).toBeUndefined();
    expect(view.message).toBe(FAULTS.timedOut.message);
  });

  it('names no provider without a plugin (the configuration resource)', () => {
    expect(body(new WsmanFault('invalidParameter'))).not.toContain('ProviderFault');
  });
});

describe('faultAction', () => {
  it.each<[FaultName, string]>([
    ['timedOut', FAULT_ACTION.wsman],
    ['unknownShell', FAULT_ACTION.wsman],
    ['invalidXml', FAULT_ACTION.wsman],
    ['actionNotSupported', FAULT_ACTION.addressing],
    ['missingHeader', FAULT_ACTION.addressing],
    ['invalidHeader', FAULT_ACTION.addressing],
    ['invalidEnumerationContext', FAULT_ACTION.enumeration],
    ['filteringNotSupported', FAULT_ACTION.enumeration],
    // No subcode at all: the WS-Management fault action.
    ['versionMismatch', FAULT_ACTION.wsman],
    ['mustUnderstand', FAULT_ACTION.wsman],
  ])('%s → %s', (name, action) => {
    expect(faultAction(FAULTS[name])).toBe(action);
  });

  it('follows the subcode prefix for every catalogue entry', () => {
    for (const name of FAULT_NAMES) {
      const spec = FAULTS[name];
      const prefix = 'subcode' in spec ? spec.subcode.split(':')[0] : undefined;
      const expected = prefix === 'a' ? FAULT_ACTION.addressing : prefix === 'n' ? FAULT_ACTION.enumeration : FAULT_ACTION.wsman;
      expect(faultAction(spec), name).toBe(expected);
    }
  });
});

describe('WsmanFault', () => {
  it('fills {0} with the first argument', () => {
    const fault = new WsmanFault('unknownShell', ['3E0B6C54']);
    expect(fault.message).toContain('ShellId 3E0B6C54 failed');
    expect(fault.message).not.toContain('{0}');
  });

  it('leaves a placeholder without an argument as it is', () => {
    expect(new WsmanFault('unknownShell').message).toContain('ShellId {0} failed');
  });

  it('does not interpret $ patterns in arguments', () => {
    expect(new WsmanFault('unknownShell', ["$&$'$1"]).message).toContain("ShellId $&$'$1 failed");
  });

  it('keeps the log detail apart from the message', () => {
    const fault = new WsmanFault('accessDenied', [], 'secret detail');
    expect(fault.message).toBe('Access is denied. ');
    expect(fault.logDetail).toBe('secret detail');
    expect(fault.fault).toBe('accessDenied');
    expect(fault.spec).toBe(FAULTS.accessDenied);
    expect(fault).toBeInstanceOf(Error);
    expect(fault.name).toBe('WsmanFault');
  });

  it('never sends the log detail to the client', () => {
    const xml = body(new WsmanFault('internalError', [], 'stack trace here'));
    expect(xml).not.toContain('stack trace here');
  });
});

describe('the fault catalogue', () => {
  it.each(FAULT_NAMES)('%s is shaped as Windows sends faults', (name) => {
    const spec = FAULTS[name];
    if ('subcode' in spec) expect(spec.subcode).toMatch(/^[wan]:[A-Za-z]+$/);
    expect(Number.isInteger(spec.wsmanCode)).toBe(true);
    expect(spec.wsmanCode).toBeGreaterThan(0);
    // WSManFault@Code is a DWORD.
    expect(spec.wsmanCode).toBeLessThanOrEqual(0xffffffff);
    expect(spec.message.trim()).not.toBe('');
    // Windows' texts end with one space, the recorded TimedOut text with two.
    expect(spec.message).toMatch(/\S {1,2}$/);
    if ('reason' in spec) expect(spec.reason).toMatch(/\S {1,2}$/);
    expect(['Sender', 'Receiver', 'MustUnderstand', 'VersionMismatch']).toContain(spec.code);
    if ('faultDetail' in spec) expect(spec.faultDetail).toMatch(/^http:\/\/schemas\.dmtf\.org\/wbem\/wsman\/1\/wsman\/faultDetail\/\w+$/);
  });

  it.each<[FaultName, number]>([
    ['timedOut', 2150858793],
    ['unknownShell', 2150858843],
    ['unknownCommand', 2150858843],
    ['missingSelector', 2150858842],
    ['actionNotSupported', 2150858771],
    ['invalidHeader', 2150858767],
    ['mustUnderstand', 2150858768],
    ['maxEnvelopeSizeTooSmall', 2150858805],
    ['schemaValidation', 2150858817],
    ['invalidParameter', 87],
    ['accessDenied', 5],
    ['resourceBusy', 170],
    ['unknownResource', 2150858811],
    ['localeMustUnderstand', 2150858887],
    ['launchFailed', 2147942402],
  ])('%s has the code clients key off (%d)', (name, code) => {
    expect(FAULTS[name].wsmanCode).toBe(code);
  });

  it('pairs an unknown resource URI with WS-Addressing’s DestinationUnreachable and names the URI', () => {
    // DSP0226's wsa:DestinationUnreachable; Windows' text and code from pypsrp issue #192.
    expect(FAULTS.unknownResource.subcode).toBe('a:DestinationUnreachable');
    expect(faultAction(FAULTS.unknownResource)).toBe(FAULT_ACTION.addressing);
    expect(new WsmanFault('unknownResource', ['winrm/config/listener']).message).toBe(
      'The WS-Management service cannot process the request. The resource URI (winrm/config/listener) was not found in the WS-Management catalog. The catalog contains the metadata that describes resources, or logical endpoints. ',
    );
  });

  it('uses the recorded TimedOut text, with its two trailing spaces', () => {
    expect(FAULTS.timedOut.message).toBe('The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  ');
  });

  it('uses the recorded text for an unknown CommandId', () => {
    expect(FAULTS.unknownCommand.message).toBe(
      'The Windows Remote Shell received a request to perform an operation on a command identifier that does not exist. Either the command has completed execution or the client specified an invalid command identifier. ',
    );
  });
});
