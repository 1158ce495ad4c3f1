/**
 * The event builders write Windows' EventData field names, in Windows' order, with Windows' codes
 * (Microsoft's auditing reference for 4624/4625/4634/4688/5157; the WinRM manifest for 81/91/161/169/192).
 */
import { describe, expect, it } from 'vitest';
import { EVENTS, renderMessage } from '../../../events/catalogue.js';
import {
  connectionBlockedEvent,
  logoffEvent,
  logonEvent,
  logonFailedEvent,
  processCreatedEvent,
  type LogonSession,
} from '../../../events/security-events.js';
import { authenticatedEvent, authenticationFailedEvent, authorizationFailedEvent, operationEvent, shellCreatedEvent } from '../../../events/winrm-events.js';

const session: LogonSession = {
  logonId: '0x1a2b',
  user: 'alice',
  domain: 'LAB',
  mechanism: 'NTLM',
  remoteAddress: '192.0.2.7',
  remotePort: 50123,
  connectionId: 'c-1',
};

describe('Security event builders', () => {
  it('4624 has the version 2 fields of a network logon', () => {
    const draft = logonEvent(session);
    expect(Object.keys(draft.data)).toEqual([
      'SubjectUserSid', 'SubjectUserName', 'SubjectDomainName', 'SubjectLogonId', 'TargetUserSid', 'TargetUserName',
      'TargetDomainName', 'TargetLogonId', 'LogonType', 'LogonProcessName', 'AuthenticationPackageName', 'WorkstationName',
      'LogonGuid', 'TransmittedServices', 'LmPackageName', 'KeyLength', 'ProcessId', 'ProcessName', 'IpAddress', 'IpPort',
      'ImpersonationLevel', 'RestrictedAdminMode', 'TargetOutboundUserName', 'TargetOutboundDomainName', 'VirtualAccount',
      'TargetLinkedLogonId', 'ElevatedToken',
    ]);
    expect(draft.data).toMatchObject({
      TargetUserName: 'alice', TargetDomainName: 'LAB', TargetLogonId: '0x1a2b', LogonType: '3',
      LogonProcessName: 'NtLmSsp ', AuthenticationPackageName: 'NTLM', LmPackageName: 'NTLM V2',
      IpAddress: '192.0.2.7', IpPort: '50123', SubjectUserSid: 'S-1-0-0',
    });
    expect(draft.winrmd).toEqual({ ConnectionId: 'c-1' });
  });

  it('describes Kerberos and Basic logons as Windows does', () => {
    expect(logonEvent({ ...session, mechanism: 'Kerberos' }).data).toMatchObject({ LogonType: '3', LogonProcessName: 'Kerberos', AuthenticationPackageName: 'Kerberos', LmPackageName: '-' });
    expect(logonEvent({ ...session, mechanism: 'Basic' }).data).toMatchObject({
      LogonType: '8', LogonProcessName: 'Advapi  ', AuthenticationPackageName: 'MICROSOFT_AUTHENTICATION_PACKAGE_V1_0',
    });
  });

  it.each([
    ['unknown-user', '0xc000006d', '0xc0000064', '%%2313'],
    ['wrong-password', '0xc000006d', '0xc000006a', '%%2313'],
    ['clock-skew', '0xc0000133', '0x0', '%%2304'],
    ['refused', '0xc000006d', '0x0', '%%2304'],
  ] as const)('4625 for %s has Status %s and SubStatus %s', (failure, Status, SubStatus, FailureReason) => {
    const draft = logonFailedEvent({ user: 'mallory', domain: 'LAB', mechanism: 'Basic', failure, remoteAddress: '192.0.2.9', remotePort: 1, connectionId: undefined });
    expect(draft.data).toMatchObject({ Status, SubStatus, FailureReason, TargetUserName: 'mallory', TargetUserSid: 'S-1-0-0', LogonType: '8', IpAddress: '192.0.2.9' });
    expect(Object.keys(draft.data)).toEqual([
      'SubjectUserSid', 'SubjectUserName', 'SubjectDomainName', 'SubjectLogonId', 'TargetUserSid', 'TargetUserName',
      'TargetDomainName', 'Status', 'FailureReason', 'SubStatus', 'LogonType', 'LogonProcessName', 'AuthenticationPackageName',
      'WorkstationName', 'TransmittedServices', 'LmPackageName', 'KeyLength', 'ProcessId', 'ProcessName', 'IpAddress', 'IpPort',
    ]);
    expect(draft.winrmd).toEqual({});
  });

  it('4634 names the session 4624 opened', () => {
    expect(logoffEvent(session).data).toEqual({ TargetUserSid: 'S-1-0-0', TargetUserName: 'alice', TargetDomainName: 'LAB', TargetLogonId: '0x1a2b', LogonType: '3' });
  });

  it('4688 puts the process in the logon session, with its command line and ids', () => {
    const draft = processCreatedEvent({
      session, user: 'alice', domain: 'LAB', pid: 4242, program: '/bin/sh', commandLine: 'echo hi', parentPid: 255,
      parentName: '/usr/bin/node', shellId: 'S-1', commandId: 'C-1', connectionId: 'c-1',
    });
    expect(draft.data).toMatchObject({
      SubjectUserName: 'alice', SubjectDomainName: 'LAB', SubjectLogonId: '0x1a2b', NewProcessId: '0x1092', NewProcessName: '/bin/sh',
      ProcessId: '0xff', CommandLine: 'echo hi', ParentProcessName: '/usr/bin/node', TokenElevationType: '%%1936', MandatoryLabel: 'S-1-16-12288',
    });
    expect(draft.winrmd).toEqual({ ConnectionId: 'c-1', ShellId: 'S-1', CommandId: 'C-1' });
  });

  it('5157 names the local end Source and the remote end Destination, as for an inbound connection', () => {
    const draft = connectionBlockedEvent({
      remoteAddress: '203.0.113.5', remotePort: 40000, localAddress: '10.0.0.2', localPort: 5985, processId: 99,
      application: '/usr/bin/node', rule: '(no matching allow rule)', profile: 'Public',
    });
    expect(draft.data).toMatchObject({ Direction: '%%14592', SourceAddress: '10.0.0.2', SourcePort: '5985', DestAddress: '203.0.113.5', DestPort: '40000', Protocol: '6' });
    expect(draft.winrmd).toEqual({ Rule: '(no matching allow rule)', Profile: 'Public' });
  });
});

describe('WinRM operational builders', () => {
  it('use the manifest template names', () => {
    expect(authenticatedEvent('LAB\\alice', 'NTLM', 'c').data).toEqual({ username: 'LAB\\alice', authenticationMechanism: 'NTLM' });
    expect(authenticationFailedEvent(true, 'x', 'c').data).toEqual({ authFailureMessage: 'The user name or password is incorrect.' });
    expect(authenticationFailedEvent(false, 'MIC does not verify', 'c').data['authFailureMessage']).toContain('MIC does not verify');
    expect(authorizationFailedEvent('c').data).toEqual({ errorCode: '5' });
    expect(operationEvent('CreateShell', 'c', undefined).data).toEqual({ operationName: 'CreateShell' });
    const shell = shellCreatedEvent('http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd', 'S-1', 'c');
    expect(shell.data).toEqual({ resourceUri: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd' });
    expect(shell.winrmd).toEqual({ ConnectionId: 'c', ShellId: 'S-1' });
  });

  it('renders the catalogue messages from the data', () => {
    expect(renderMessage(EVENTS.winrmShellCreated.message, { resourceUri: 'u' })).toBe('Creating WSMan shell on server with ResourceUri: u');
    expect(renderMessage(EVENTS.winrmAuthenticated.message, { username: 'LAB\\a', authenticationMechanism: 'Basic' })).toBe(
      'User LAB\\a authenticated successfully using Basic authentication',
    );
  });

  it('gives each event its Windows identity', () => {
    expect(EVENTS.logon).toMatchObject({ channel: 'Security', provider: 'Microsoft-Windows-Security-Auditing', eventId: 4624, version: 2, task: 12544, keywords: '0x8020000000000000' });
    expect(EVENTS.logonFailed).toMatchObject({ eventId: 4625, task: 12546, keywords: '0x8010000000000000' });
    expect(EVENTS.winrmShellCreated).toMatchObject({ channel: 'Microsoft-Windows-WinRM/Operational', provider: 'Microsoft-Windows-WinRM', eventId: 91, level: 4, task: 9 });
  });
});
