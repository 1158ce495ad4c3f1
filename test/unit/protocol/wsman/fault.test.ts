import { describe, expect, it } from 'vitest';
import { FAULT_ACTION } from '../../../../protocol/wsman/actions.js';
import { faultAction, WsmanFault, writeFaultBody } from '../../../../protocol/wsman/fault.js';
import { FAULTS, type FaultName } from '../../../../protocol/wsman/fault-catalogue.js';
import { NS } from '../../../../protocol/wsman/namespaces.js';
import { writeEnvelope } from '../../../../protocol/wsman/response.js';
import { readFault } from '../xml-query.js';

const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

/** A fault as the dispatcher sends it: the body inside a response envelope. */
function faultEnvelope(fault: WsmanFault, machine = 'SRV01', relatesTo = 'uuid:REQ'): string {
  return writeEnvelope(
    { action: faultAction(fault.spec), messageId: 'uuid:RESP', relatesTo, lang: 'en-US' },
    writeFaultBody(fault, machine, 'en-US'),
  );
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
    expect(view.reason).toBe(fault.message);
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
    expect(view.reason).toBe(view.message);
    expect(view.machine).toBe('host<&>"');
  });

  it('puts the WSManFault in the wsmanfault namespace, where pywinrm looks for @Code', () => {
    const xml = writeFaultBody(new WsmanFault('timedOut'), 'M', 'en-US');
    expect(xml).toContain(`<f:WSManFault xmlns:f="${NS.wsmanFault}" Code="2150858793" Machine="M">`);
  });

  it('writes the Reason in the language given', () => {
    const view = readFault(
      writeEnvelope({ action: FAULT_ACTION.wsman, lang: 'de-DE' }, writeFaultBody(new WsmanFault('accessDenied'), 'M', 'de-DE')),
    );
    expect(view.reasonLang).toBe('de-DE');
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
    const xml = writeFaultBody(new WsmanFault('internalError', [], 'stack trace here'), 'M', 'en-US');
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
    expect(spec.message).toMatch(/\S $/);
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
  ])('%s has the code clients key off (%d)', (name, code) => {
    expect(FAULTS[name].wsmanCode).toBe(code);
  });

  it('uses the recorded text for an unknown CommandId', () => {
    expect(FAULTS.unknownCommand.message).toBe(
      'The Windows Remote Shell received a request to perform an operation on a command identifier that does not exist. Either the command has completed execution or the client specified an invalid command identifier. ',
    );
  });
});
