import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../../../../protocol/winrs/body.js';
import { isTrue, parseSend, writeSendResponse } from '../../../../protocol/winrs/send.js';
import { faultOf, shellBody } from './helpers.js';

const CMD = '5C7E9A12-0B34-4D56-8E78-9F0A1B2C3D4E';

describe('parseSend', () => {
  it('decodes the notes’ Send', () => {
    const streams = parseSend(shellBody(`<rsp:Send><rsp:Stream Name="stdin" CommandId="${CMD}" End="true">ZWNobyBoaQ0K</rsp:Stream></rsp:Send>`));
    expect(streams).toEqual([{ name: 'stdin', commandId: CMD, data: Buffer.from('echo hi\r\n'), end: true }]);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['True', true],
    ['1', true],
    [' true ', true],
    ['false', false],
    ['FALSE', false],
    ['0', false],
    ['yes', false],
  ])('reads End="%s" as %s', (value, end) => {
    const [stream] = parseSend(shellBody(`<rsp:Send><rsp:Stream Name="stdin" CommandId="c" End="${value}">QQ==</rsp:Stream></rsp:Send>`));
    expect(stream?.end).toBe(end);
  });

  it('has no End without the attribute, and no CommandId without that', () => {
    const [stream] = parseSend(shellBody('<rsp:Send><rsp:Stream Name="stdin">QUJD</rsp:Stream></rsp:Send>'));
    expect(stream).toEqual({ name: 'stdin', commandId: undefined, data: Buffer.from('ABC'), end: false });
  });

  it('keeps several streams in order, bytes exact', () => {
    const binary = Buffer.from([0, 1, 2, 0xfe, 0xff, 0x0d, 0x0a]);
    const streams = parseSend(
      shellBody(
        `<rsp:Send><rsp:Stream Name="stdin" CommandId="c">${binary.toString('base64')}</rsp:Stream>` +
          '<rsp:Stream Name="stdin" CommandId="c" End="true"></rsp:Stream></rsp:Send>',
      ),
    );
    expect(streams.map((s) => [s.data, s.end])).toEqual([
      [binary, false],
      [Buffer.alloc(0), true],
    ]);
  });

  it('accepts base64 wrapped over lines', () => {
    const [stream] = parseSend(shellBody('<rsp:Send><rsp:Stream Name="stdin">aGVs\nbG8g\r\nd29y bGQ=\n</rsp:Stream></rsp:Send>'));
    expect(stream?.data.toString()).toBe('hello world');
  });

  it.each([
    ['not base64', '!!!!'],
    ['a data: URL', 'data:text/plain;base64,QQ=='],
    ['padding in the middle', 'QQ==QQ=='],
    ['too much padding', 'QQ==='],
    ['base64url characters', 'a-b_'],
  ])('refuses stream content that is %s', (_label, content) => {
    expect(faultOf(() => parseSend(shellBody(`<rsp:Send><rsp:Stream Name="stdin">${content}</rsp:Stream></rsp:Send>`)))).toBe('schemaValidation');
  });

  it.each([
    ['a Stream without Name', '<rsp:Send><rsp:Stream>QQ==</rsp:Stream></rsp:Send>', 'invalidParameter'],
    ['no Stream', '<rsp:Send/>', 'invalidParameter'],
    ['a Stream outside the shell namespace', '<rsp:Send><Stream Name="stdin">QQ==</Stream></rsp:Send>', 'invalidParameter'],
    ['a body that is not Send', '<rsp:Receive/>', 'schemaValidation'],
  ])('refuses %s with %s', (_label, xml, fault) => {
    expect(faultOf(() => parseSend(shellBody(xml)))).toBe(fault);
  });
});

describe('decodeBase64', () => {
  it.each([
    ['', ''],
    ['QQ==', 'A'],
    ['QUI=', 'AB'],
    ['QUJD', 'ABC'],
    ['  QUJD  ', 'ABC'],
  ])('decodes %j', (text, decoded) => {
    expect(decodeBase64(text).toString()).toBe(decoded);
  });
});

describe('isTrue', () => {
  it.each([
    ['TRUE', true],
    ['true', true],
    ['1', true],
    ['False', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (value, expected) => {
    expect(isTrue(value)).toBe(expected);
  });
});

describe('writeSendResponse', () => {
  it('is an empty SendResponse', () => {
    expect(writeSendResponse()).toBe('<rsp:SendResponse/>');
  });
});
