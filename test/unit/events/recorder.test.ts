/** Which events each signal leaves behind, in which order, and how logon sessions pair 4624 with 4634. */
import { describe, expect, it } from 'vitest';
import type { ConnectionInfo } from '../../../events/signals.js';
import { peer, recorderHarness } from './recorder-harness.js';

const connection = (id: string): ConnectionInfo => ({ connectionId: id, transport: 'https', remoteAddress: '192.0.2.7', remotePort: 50000 });

describe('EventRecorder', () => {
  it('opens one session per connection for Basic, reused by later requests, closed with the connection', () => {
    const { recorder, records, ids } = recorderHarness();
    const basic = { kind: 'logon-succeeded', peer: peer('c1'), user: 'alice', clientDomain: '', scheme: 'Basic', mechanism: 'Basic', handshakeMs: 3 } as const;
    recorder.notify({ kind: 'connection-opened', connection: connection('c1') });
    recorder.notify(basic);
    recorder.notify(basic);
    recorder.notify({ ...basic, user: 'ALICE' });
    recorder.notify({ kind: 'connection-closed', connection: connection('c1') });
    expect(ids()).toEqual([4624, 169, 4634]);
    expect(records[0]?.EventData['TargetLogonId']).toBe('0x1000');
    expect(records[2]?.EventData['TargetLogonId']).toBe('0x1000');
    expect(records[1]?.EventData).toEqual({ username: 'LAB\\alice', authenticationMechanism: 'Basic' });
    expect(records.map((r) => r.EventRecordID)).toEqual([1, 2, 3]);
    expect(records.every((r) => r.Winrmd.ConnectionId === 'c1' && r.Computer === 'lab.example.test' && r.TimeCreated === '2024-05-01T12:00:00.123Z')).toBe(true);
  });

  it('replaces the session when another account (or a new handshake) logs on over the same connection', () => {
    const { recorder, records, ids } = recorderHarness();
    const ntlm = { kind: 'logon-succeeded', peer: peer('c1'), user: 'alice', clientDomain: 'WORKGROUP', scheme: 'Negotiate', mechanism: 'NTLM', handshakeMs: 1 } as const;
    recorder.notify(ntlm);
    recorder.notify(ntlm);
    expect(ids()).toEqual([4624, 169, 4634, 4624, 169]);
    expect(records[2]?.EventData['TargetLogonId']).toBe(records[0]?.EventData['TargetLogonId']);
    expect(records[3]?.EventData['TargetLogonId']).not.toBe(records[0]?.EventData['TargetLogonId']);
    expect(records[0]?.EventData['AuthenticationPackageName']).toBe('NTLM');
  });

  it('records a failed logon as 4625 and WinRM 161, with the domain the client named', () => {
    const { recorder, records, ids } = recorderHarness();
    recorder.notify({
      kind: 'logon-failed', peer: peer('c2', 41000), user: 'bob', clientDomain: 'EVIL', scheme: 'Negotiate', mechanism: undefined,
      failure: 'unknown-user', detail: 'unknown user', handshakeMs: 2,
    });
    expect(ids()).toEqual([4625, 161]);
    expect(records[0]?.EventData).toMatchObject({ TargetUserName: 'bob', TargetDomainName: 'EVIL', SubStatus: '0xc0000064', AuthenticationPackageName: 'NTLM', IpPort: '41000' });
    expect(records[1]?.Level).toBe(2);
  });

  it('records an authenticated but unauthorised user as a logon, WinRM 192 and the logoff', () => {
    const { recorder, records, ids } = recorderHarness();
    recorder.notify({ kind: 'access-denied', peer: peer('c3'), user: 'mallory', clientDomain: '', scheme: 'Basic', mechanism: 'Basic' });
    expect(ids()).toEqual([4624, 192, 4634]);
    expect(records[2]?.EventData['TargetLogonId']).toBe(records[0]?.EventData['TargetLogonId']);
  });

  it('records shell and command activity with their ids, and redacts the command line', () => {
    const { recorder, records, ids } = recorderHarness();
    recorder.notify({ kind: 'logon-succeeded', peer: peer('c4'), user: 'alice', clientDomain: '', scheme: 'Basic', mechanism: 'Basic', handshakeMs: 1 });
    recorder.notify({ kind: 'operation', connectionId: 'c4', user: 'alice', operation: 'CreateShell', resourceUri: 'uri', shellId: undefined });
    recorder.notify({ kind: 'shell-created', connectionId: 'c4', user: 'alice', shellId: 'S1', resourceUri: 'uri' });
    recorder.notify({
      kind: 'command-started', connectionId: 'c4', user: 'alice', shellId: 'S1', commandId: 'C1', pid: 77, program: '/bin/sh',
      commandLine: 'mysql -u root --password=hunter2',
    });
    expect(ids()).toEqual([4624, 169, 81, 91, 4688]);
    const process = records[4];
    expect(process?.EventData['CommandLine']).toBe('mysql -u root --password=[redacted]');
    expect(process?.EventData['SubjectLogonId']).toBe(records[0]?.EventData['TargetLogonId']);
    expect(process?.Winrmd).toEqual({ ConnectionId: 'c4', ShellId: 'S1', CommandId: 'C1' });
    expect(JSON.stringify(records)).not.toContain('hunter2');
  });

  it('writes 5157 only for the drops the drop log wrote', () => {
    const { recorder, ids } = recorderHarness();
    const drop = { kind: 'firewall-drop', remoteAddress: '203.0.113.1', remotePort: 1, localAddress: '10.0.0.1', localPort: 5985, transport: 'http', profile: 'Public', rule: 'r' } as const;
    recorder.notify({ ...drop, logged: true });
    recorder.notify({ ...drop, logged: false });
    expect(ids()).toEqual([5157]);
  });

  it('logs off every open session when it closes', async () => {
    const { recorder, ids } = recorderHarness();
    recorder.notify({ kind: 'logon-succeeded', peer: peer('a'), user: 'alice', clientDomain: '', scheme: 'Kerberos', mechanism: 'Kerberos', handshakeMs: 1 });
    recorder.notify({ kind: 'logon-succeeded', peer: peer('b'), user: 'bob', clientDomain: '', scheme: 'Basic', mechanism: 'Basic', handshakeMs: 1 });
    await recorder.close();
    expect(ids()).toEqual([4624, 169, 4624, 169, 4634, 4634]);
  });

  it('records nothing for connections and requests themselves (those are metrics)', () => {
    const { recorder, ids } = recorderHarness();
    recorder.notify({ kind: 'connection-opened', connection: connection('x') });
    recorder.notify({ kind: 'request-completed', transport: 'http', action: 'Receive', status: 200, durationMs: 1, bytesIn: 1, bytesOut: 1 });
    recorder.notify({ kind: 'connection-closed', connection: connection('x') });
    expect(ids()).toEqual([]);
  });
});
