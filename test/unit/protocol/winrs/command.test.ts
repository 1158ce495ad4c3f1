import { describe, expect, it } from 'vitest';
import { joinCommandLine, parseCommandLine, writeCommandResponse } from '../../../../protocol/winrs/command.js';
import { writeEnvelope } from '../../../../protocol/wsman/response.js';
import { must, readEnvelope, RSP } from '../xml-query.js';
import { faultOf, shellBody } from './helpers.js';

describe('parseCommandLine', () => {
  it.each([
    [
      'pywinrm: one Arguments element',
      '<rsp:CommandLine><rsp:Command>ipconfig</rsp:Command><rsp:Arguments>/all /v</rsp:Arguments></rsp:CommandLine>',
      { commandId: undefined, command: 'ipconfig', args: ['/all /v'] },
      'ipconfig /all /v',
    ],
    [
      'pypsrp: one Arguments per argument',
      '<rsp:CommandLine><rsp:Command>echo</rsp:Command><rsp:Arguments>a</rsp:Arguments><rsp:Arguments>b c</rsp:Arguments><rsp:Arguments>d</rsp:Arguments></rsp:CommandLine>',
      { commandId: undefined, command: 'echo', args: ['a', 'b c', 'd'] },
      'echo a b c d',
    ],
    [
      'no Arguments',
      '<rsp:CommandLine><rsp:Command>  echo hi; exit 4  </rsp:Command></rsp:CommandLine>',
      { commandId: undefined, command: 'echo hi; exit 4', args: [] },
      'echo hi; exit 4',
    ],
    [
      'a client-chosen CommandId',
      '<rsp:CommandLine CommandId="5C7E9A12-0B34-4D56-8E78-9F0A1B2C3D4E"><rsp:Command>x</rsp:Command></rsp:CommandLine>',
      { commandId: '5C7E9A12-0B34-4D56-8E78-9F0A1B2C3D4E', command: 'x', args: [] },
      'x',
    ],
    [
      'escaped characters',
      '<rsp:CommandLine><rsp:Command>echo &quot;a&amp;b&quot; &gt; f</rsp:Command><rsp:Arguments>&lt;in</rsp:Arguments></rsp:CommandLine>',
      { commandId: undefined, command: 'echo "a&b" > f', args: ['<in'] },
      'echo "a&b" > f <in',
    ],
    [
      'an argument with its own spaces kept',
      '<rsp:CommandLine><rsp:Command>printf</rsp:Command><rsp:Arguments> %s </rsp:Arguments></rsp:CommandLine>',
      { commandId: undefined, command: 'printf', args: [' %s '] },
      'printf  %s ',
    ],
  ])('reads %s', (_label, xml, expected, joined) => {
    const request = parseCommandLine(shellBody(xml));
    expect(request).toEqual(expected);
    expect(joinCommandLine(request)).toBe(joined);
  });

  it.each([
    ['no Command', '<rsp:CommandLine/>', 'invalidParameter'],
    ['an empty Command', '<rsp:CommandLine><rsp:Command>  </rsp:Command></rsp:CommandLine>', 'invalidParameter'],
    ['a Command outside the shell namespace', '<rsp:CommandLine><Command>x</Command></rsp:CommandLine>', 'invalidParameter'],
    ['a body that is not CommandLine', '<rsp:Shell/>', 'schemaValidation'],
  ])('refuses %s with %s', (_label, xml, fault) => {
    expect(faultOf(() => parseCommandLine(shellBody(xml)))).toBe(fault);
  });

  it('refuses a missing body', () => {
    expect(faultOf(() => parseCommandLine(undefined))).toBe('schemaValidation');
  });
});

describe('writeCommandResponse', () => {
  it('returns the CommandId', () => {
    const body = readEnvelope(writeEnvelope({ lang: 'en-US' }, writeCommandResponse('C-1&2'))).body;
    expect(must(body, RSP('CommandResponse'), RSP('CommandId')).text).toBe('C-1&2');
  });
});
