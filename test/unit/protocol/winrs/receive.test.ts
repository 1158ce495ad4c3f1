import { describe, expect, it } from 'vitest';
import { parseReceive, receiveResponseOverhead, writeReceiveResponse, type ReceivedStream } from '../../../../protocol/winrs/receive.js';
import { COMMAND_STATE } from '../../../../protocol/winrs/uris.js';
import { writeEnvelope } from '../../../../protocol/wsman/response.js';
import { attr, find, findAll, must, readEnvelope, RSP } from '../xml-query.js';
import { faultOf, shellBody } from './helpers.js';

const CMD = '5C7E9A12-0B34-4D56-8E78-9F0A1B2C3D4E';

describe('parseReceive', () => {
  it.each([
    ['stdout stderr', { commandId: CMD, streams: ['stdout', 'stderr'] }],
    ['stdout', { commandId: CMD, streams: ['stdout'] }],
    ['  stderr\n stdout ', { commandId: CMD, streams: ['stderr', 'stdout'] }],
    ['', { commandId: CMD, streams: [] }],
  ])('reads DesiredStream %j', (streams, expected) => {
    expect(parseReceive(shellBody(`<rsp:Receive><rsp:DesiredStream CommandId="${CMD}">${streams}</rsp:DesiredStream></rsp:Receive>`))).toEqual(expected);
  });

  it('reads a PowerShell Receive with a SequenceId', () => {
    expect(
      parseReceive(shellBody(`<rsp:Receive SequenceId="0"><rsp:DesiredStream CommandId="${CMD}">stdout</rsp:DesiredStream></rsp:Receive>`)),
    ).toEqual({ commandId: CMD, streams: ['stdout'] });
  });

  it('defaults to stdout and stderr of no command without a DesiredStream', () => {
    expect(parseReceive(shellBody('<rsp:Receive/>'))).toEqual({ commandId: undefined, streams: ['stdout', 'stderr'] });
  });

  it('has no CommandId when the DesiredStream names none', () => {
    expect(parseReceive(shellBody('<rsp:Receive><rsp:DesiredStream>stdout</rsp:DesiredStream></rsp:Receive>')).commandId).toBeUndefined();
  });

  it('refuses a body that is not Receive', () => {
    expect(faultOf(() => parseReceive(shellBody('<rsp:Send/>')))).toBe('schemaValidation');
    expect(faultOf(() => parseReceive(undefined))).toBe('schemaValidation');
  });
});

interface ParsedStream {
  readonly name: string | undefined;
  readonly commandId: string | undefined;
  readonly end: string | undefined;
  readonly data: string;
}

/** Writes a ReceiveResponse, wraps it in an envelope and reads it back the way pywinrm does. */
function roundTrip(streams: readonly ReceivedStream[], state: string, exitCode: number | undefined): {
  streams: ParsedStream[];
  state: string | undefined;
  stateCommandId: string | undefined;
  exitCode: string | undefined;
} {
  const xml = writeEnvelope({ action: 'x', lang: 'en-US' }, writeReceiveResponse(CMD, streams, { state, exitCode }));
  const response = must(readEnvelope(xml).body, RSP('ReceiveResponse'));
  const commandState = must(response, RSP('CommandState'));
  expect(response.children.at(-1)).toBe(commandState);
  return {
    streams: findAll(response, RSP('Stream')).map((s) => ({
      name: attr(s, 'Name'),
      commandId: attr(s, 'CommandId'),
      end: attr(s, 'End'),
      data: Buffer.from(s.text, 'base64').toString('latin1'),
    })),
    state: attr(commandState, 'State'),
    stateCommandId: attr(commandState, 'CommandId'),
    exitCode: find(commandState, RSP('ExitCode'))?.text,
  };
}

describe('writeReceiveResponse', () => {
  it('keeps stream order and data, with Running and no ExitCode', () => {
    const parsed = roundTrip(
      [
        { name: 'stdout', data: Buffer.from('hello\r\n'), end: false },
        { name: 'stderr', data: Buffer.from('warning\r\n'), end: false },
        { name: 'stdout', data: Buffer.from('more'), end: false },
      ],
      COMMAND_STATE.running,
      undefined,
    );
    expect(parsed).toEqual({
      streams: [
        { name: 'stdout', commandId: CMD, end: undefined, data: 'hello\r\n' },
        { name: 'stderr', commandId: CMD, end: undefined, data: 'warning\r\n' },
        { name: 'stdout', commandId: CMD, end: undefined, data: 'more' },
      ],
      state: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running',
      stateCommandId: CMD,
      exitCode: undefined,
    });
  });

  it('ends streams with End="true" and reports Done with the ExitCode', () => {
    const parsed = roundTrip(
      [
        { name: 'stdout', data: Buffer.from('done\r\n'), end: false },
        { name: 'stdout', data: Buffer.alloc(0), end: true },
        { name: 'stderr', data: Buffer.alloc(0), end: true },
      ],
      COMMAND_STATE.done,
      4,
    );
    expect(parsed.streams.map((s) => [s.name, s.end, s.data])).toEqual([
      ['stdout', undefined, 'done\r\n'],
      ['stdout', 'true', ''],
      ['stderr', 'true', ''],
    ]);
    expect(parsed.state).toBe('http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done');
    expect(parsed.exitCode).toBe('4');
  });

  it.each([0, 1, 255, -1, 2147483647, -2147483648])('writes ExitCode %d as an integer', (code) => {
    expect(Number.parseInt(roundTrip([], COMMAND_STATE.done, code).exitCode ?? 'missing', 10)).toBe(code);
  });

  it('writes a state with nothing to report', () => {
    const parsed = roundTrip([], COMMAND_STATE.running, undefined);
    expect(parsed.streams).toEqual([]);
    expect(parsed.state).toBe(COMMAND_STATE.running);
  });

  it('carries binary data exactly', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const xml = writeReceiveResponse(CMD, [{ name: 'stdout', data: bytes, end: false }], { state: COMMAND_STATE.running, exitCode: undefined });
    const response = must(readEnvelope(writeEnvelope({ lang: 'en-US' }, xml)).body, RSP('ReceiveResponse'));
    expect(Buffer.from(must(response, RSP('Stream')).text, 'base64')).toEqual(bytes);
  });

  it('stays within receiveResponseOverhead plus the base64 of the data', () => {
    const commandId = CMD;
    const data = Buffer.alloc(300, 0x41);
    const streams: ReceivedStream[] = [
      { name: 'stdout', data, end: false },
      { name: 'stderr', data: Buffer.alloc(0), end: true },
    ];
    const xml = writeReceiveResponse(commandId, streams, { state: COMMAND_STATE.done, exitCode: -2147483648 });
    expect(xml.length).toBeLessThanOrEqual(receiveResponseOverhead(commandId, 2) + data.toString('base64').length);
  });

  it('grows receiveResponseOverhead with the number of streams', () => {
    const zero = receiveResponseOverhead(CMD, 0);
    const one = receiveResponseOverhead(CMD, 1);
    expect(one).toBeGreaterThan(zero);
    expect(receiveResponseOverhead(CMD, 2) - one).toBe(one - zero);
  });
});
