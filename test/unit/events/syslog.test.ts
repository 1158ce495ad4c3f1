/** RFC 5424 messages, and the senders that deliver them over UDP and TCP. */
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSyslog } from '../../../events/sinks/syslog-format.js';
import { parseSyslogTarget, SyslogSink } from '../../../events/sinks/syslog-sink.js';
import { peer, recorderHarness } from './recorder-harness.js';

function records(): ReturnType<typeof recorderHarness>['records'] {
  const { recorder, records: out } = recorderHarness();
  recorder.notify({ kind: 'logon-failed', peer: peer('c'), user: 'bob"]\\', clientDomain: '', scheme: 'Basic', mechanism: 'Basic', failure: 'wrong-password', detail: 'x', handshakeMs: 1 });
  return out;
}

describe('formatSyslog', () => {
  it('writes an RFC 5424 line: priority, version, time, host, app, pid, msgid, structured data, JSON', () => {
    const [failed, winrm] = records();
    if (failed === undefined || winrm === undefined) throw new Error('no records');
    const line = formatSyslog(failed, 1234, 'lab host');
    // authpriv (10) * 8 + warning (4) for an audit failure
    expect(line).toMatch(/^<84>1 2024-05-01T12:00:00\.123Z labhost winrmd 1234 4625 \[winevent@32473 Channel="Security" Provider="Microsoft-Windows-Security-Auditing" EventID="4625" EventRecordID="1" Computer="lab\.example\.test"\] \{/);
    expect(JSON.parse(line.slice(line.indexOf('] {') + 2))).toEqual(failed);
    // daemon (3) * 8 + error (3) for WinRM's 161
    expect(formatSyslog(winrm, 1, 'h')).toMatch(/^<27>1 /);
  });

  it('escapes structured-data values', () => {
    const [failed] = records();
    if (failed === undefined) throw new Error('no record');
    expect(formatSyslog({ ...failed, Computer: 'a"b]c\\d' }, 1, 'h')).toContain('Computer="a\\"b\\]c\\\\d"');
  });
});

describe('parseSyslogTarget', () => {
  it.each([
    ['udp://127.0.0.1:514', { kind: 'udp', host: '127.0.0.1', port: 514 }],
    ['tcp://[::1]:601', { kind: 'tcp', host: '::1', port: 601 }],
    ['unix:///run/syslog-ng.sock', { kind: 'unix', path: '/run/syslog-ng.sock' }],
  ])('reads %s', (text, expected) => {
    expect(parseSyslogTarget(text)).toEqual(expected);
  });

  it.each(['syslog.example', 'udp://host', 'http://host:514', 'udp://host:70000', 'unix://relative'])('refuses %s', (text) => {
    expect(() => parseSyslogTarget(text)).toThrow();
  });
});

describe('SyslogSink', () => {
  it('sends one datagram per event over UDP', async () => {
    const server = createSocket('udp4');
    server.bind(0, '127.0.0.1');
    await once(server, 'listening');
    const sink = new SyslogSink({ kind: 'udp', host: '127.0.0.1', port: server.address().port }, (e) => {
      throw e;
    });
    const [failed] = records();
    if (failed === undefined) throw new Error('no record');
    const received = once(server, 'message');
    sink.write(failed);
    const [message] = (await received) as [Buffer];
    expect(message.toString()).toMatch(/^<84>1 .* 4625 \[winevent@32473 /);
    await sink.close();
    server.close();
  });

  it('frames messages by octet count over TCP, queueing until connected', async () => {
    const chunks: Buffer[] = [];
    const server = createServer((socket) => socket.on('data', (chunk: Buffer) => chunks.push(chunk)));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const sink = new SyslogSink({ kind: 'tcp', host: '127.0.0.1', port: (server.address() as AddressInfo).port }, () => undefined);
    for (const record of records()) sink.write(record);
    const deadline = Date.now() + 3000;
    while (Buffer.concat(chunks).toString().split(' <').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const text = Buffer.concat(chunks).toString();
    const first = /^(\d+) /.exec(text);
    expect(first).not.toBeNull();
    const length = Number(first?.[1]);
    const message = Buffer.from(text).subarray((first?.[0] ?? '').length, (first?.[0] ?? '').length + length).toString();
    expect(message).toMatch(/^<84>1 /);
    expect(message.endsWith('}')).toBe(true);
    await sink.close();
    server.close();
  });

  it('writes one message per line to a unix stream socket', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'winrmd-syslog-'));
    const path = join(dir, 'syslog.sock');
    let text = '';
    const server = createServer((socket) => socket.on('data', (chunk: Buffer) => (text += chunk.toString())));
    server.listen(path);
    await once(server, 'listening');
    const sink = new SyslogSink({ kind: 'unix', path }, () => undefined);
    for (const record of records()) sink.write(record);
    const deadline = Date.now() + 3000;
    while (text.split('\n').length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const lines = text.split('\n');
    expect(lines.slice(0, 2).map((l) => l.slice(0, 6))).toEqual(['<84>1 ', '<27>1 ']);
    await sink.close();
    server.close();
    await rm(dir, { recursive: true, force: true });
  });
});
