import { describe, expect, it } from 'vitest';
import { parseSignal, writeSignalResponse } from '../../../../protocol/winrs/signal.js';
import { SIGNAL_CODE, signalNameOf, type SignalName } from '../../../../protocol/winrs/uris.js';
import { faultOf, shellBody } from './helpers.js';

const BASE = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/';

describe('parseSignal', () => {
  it.each<[string, SignalName]>([
    [`${BASE}terminate`, 'terminate'],
    [`${BASE}Terminate`, 'terminate'],
    [`${BASE}TERMINATE`, 'terminate'],
    [`HTTP://SCHEMAS.MICROSOFT.COM/WBEM/WSMAN/1/WINDOWS/SHELL/SIGNAL/terminate`, 'terminate'],
    [`  ${BASE}terminate\n`, 'terminate'],
    [`${BASE}ctrl_c`, 'ctrl_c'],
    [`${BASE}Ctrl_C`, 'ctrl_c'],
    [`${BASE}ctrl_break`, 'ctrl_break'],
  ])('reads %s as %s', (code, signal) => {
    expect(parseSignal(shellBody(`<rsp:Signal CommandId="C1"><rsp:Code>${code}</rsp:Code></rsp:Signal>`))).toEqual({ commandId: 'C1', signal });
  });

  it.each([
    ['an unknown code', `${BASE}kill`],
    ['a bare name', 'terminate'],
    ['another base', 'http://example.com/signal/terminate'],
    ['an empty code', ''],
  ])('refuses %s', (_label, code) => {
    expect(faultOf(() => parseSignal(shellBody(`<rsp:Signal CommandId="C1"><rsp:Code>${code}</rsp:Code></rsp:Signal>`)))).toBe('invalidParameter');
  });

  it('refuses a Signal without Code', () => {
    expect(faultOf(() => parseSignal(shellBody('<rsp:Signal CommandId="C1"/>')))).toBe('invalidParameter');
  });

  it('has no CommandId when none is given', () => {
    expect(parseSignal(shellBody(`<rsp:Signal><rsp:Code>${BASE}ctrl_c</rsp:Code></rsp:Signal>`)).commandId).toBeUndefined();
  });

  it('refuses a body that is not Signal', () => {
    expect(faultOf(() => parseSignal(shellBody('<rsp:Receive/>')))).toBe('schemaValidation');
    expect(faultOf(() => parseSignal(undefined))).toBe('schemaValidation');
  });
});

describe('signalNameOf', () => {
  it('knows every SIGNAL_CODE by its URI', () => {
    for (const [name, uri] of Object.entries(SIGNAL_CODE)) expect(signalNameOf(uri)).toBe(name);
  });

  it('does not match a prefix or an extension of a code', () => {
    expect(signalNameOf(`${BASE}terminatex`)).toBeUndefined();
    expect(signalNameOf(BASE)).toBeUndefined();
  });
});

describe('writeSignalResponse', () => {
  it('is an empty SignalResponse', () => {
    expect(writeSignalResponse()).toBe('<rsp:SignalResponse/>');
  });
});
