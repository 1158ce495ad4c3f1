/**
 * Builders of the Security channel's EventData, field for field in the order Windows writes them.
 * winrmd has local accounts without SIDs, so account SIDs are the NULL SID (S-1-0-0), as Windows
 * writes for an account it could not resolve; the subject of a network logon is the NULL SID too.
 */
import type { WinrmdFields } from './record.js';
import type { EventName } from './catalogue.js';
import { failureReason, failureStatus, logonProfile } from './logon-profile.js';
import type { AuthMechanism, LogonFailure } from './signals.js';

export interface EventDraft {
  readonly event: EventName;
  readonly data: Readonly<Record<string, string>>;
  readonly winrmd: WinrmdFields;
}

export const NULL_SID = 'S-1-0-0';
const NO_GUID = '{00000000-0000-0000-0000-000000000000}';

/** One logon session: what 4624 opens, 4634 closes and 4688 names as its subject. */
export interface LogonSession {
  readonly logonId: string;
  readonly user: string;
  /** The account's domain: for local accounts, the computer's NetBIOS name. */
  readonly domain: string;
  readonly mechanism: AuthMechanism;
  readonly remoteAddress: string;
  readonly remotePort: number | undefined;
  readonly connectionId: string | undefined;
}

const NO_SUBJECT = { SubjectUserSid: NULL_SID, SubjectUserName: '-', SubjectDomainName: '-', SubjectLogonId: '0x0' };

function winrmdOf(connectionId: string | undefined): WinrmdFields {
  return connectionId === undefined ? {} : { ConnectionId: connectionId };
}

/** 4624: the session a network logon created. */
export function logonEvent(session: LogonSession): EventDraft {
  const profile = logonProfile(session.mechanism);
  return {
    event: 'logon',
    winrmd: winrmdOf(session.connectionId),
    data: {
      ...NO_SUBJECT,
      TargetUserSid: NULL_SID,
      TargetUserName: session.user,
      TargetDomainName: session.domain,
      TargetLogonId: session.logonId,
      LogonType: profile.LogonType,
      LogonProcessName: profile.LogonProcessName,
      AuthenticationPackageName: profile.AuthenticationPackageName,
      WorkstationName: '-',
      LogonGuid: NO_GUID,
      TransmittedServices: '-',
      LmPackageName: profile.LmPackageName,
      KeyLength: profile.KeyLength,
      ProcessId: '0x0',
      ProcessName: '-',
      IpAddress: session.remoteAddress,
      IpPort: String(session.remotePort ?? 0),
      ImpersonationLevel: '%%1833', // Impersonation
      RestrictedAdminMode: '-',
      TargetOutboundUserName: '-',
      TargetOutboundDomainName: '-',
      VirtualAccount: '%%1843', // No
      TargetLinkedLogonId: '0x0',
      ElevatedToken: '%%1842', // Yes: only Administrators and Remote Management Users get this far
    },
  };
}

export interface FailedLogon {
  readonly user: string;
  readonly domain: string;
  readonly mechanism: AuthMechanism;
  readonly failure: LogonFailure;
  readonly remoteAddress: string;
  readonly remotePort: number | undefined;
  readonly connectionId: string | undefined;
}

/** 4625: a logon that failed, with Windows' Status and SubStatus for why. */
export function logonFailedEvent(attempt: FailedLogon): EventDraft {
  const profile = logonProfile(attempt.mechanism);
  const { Status, SubStatus } = failureStatus(attempt.failure);
  return {
    event: 'logonFailed',
    winrmd: winrmdOf(attempt.connectionId),
    data: {
      ...NO_SUBJECT,
      TargetUserSid: NULL_SID,
      TargetUserName: attempt.user,
      TargetDomainName: attempt.domain,
      Status,
      FailureReason: failureReason(attempt.failure),
      SubStatus,
      LogonType: profile.LogonType,
      LogonProcessName: profile.LogonProcessName,
      AuthenticationPackageName: profile.AuthenticationPackageName,
      WorkstationName: '-',
      TransmittedServices: '-',
      LmPackageName: profile.LmPackageName,
      KeyLength: '0',
      ProcessId: '0x0',
      ProcessName: '-',
      IpAddress: attempt.remoteAddress,
      IpPort: String(attempt.remotePort ?? 0),
    },
  };
}

/** 4634: the session ended (its connection closed, or it was replaced). */
export function logoffEvent(session: LogonSession): EventDraft {
  return {
    event: 'logoff',
    winrmd: winrmdOf(session.connectionId),
    data: {
      TargetUserSid: NULL_SID,
      TargetUserName: session.user,
      TargetDomainName: session.domain,
      TargetLogonId: session.logonId,
      LogonType: logonProfile(session.mechanism).LogonType,
    },
  };
}

export interface ProcessCreation {
  readonly session: LogonSession | undefined;
  readonly user: string;
  readonly domain: string;
  readonly pid: number | undefined;
  readonly program: string;
  /** Already redacted. */
  readonly commandLine: string;
  readonly parentPid: number;
  readonly parentName: string;
  readonly shellId: string;
  readonly commandId: string;
  readonly connectionId: string | undefined;
}

function hex(value: number | undefined): string {
  return `0x${(value ?? 0).toString(16)}`;
}

/** 4688: a command's process, created in the user's logon session (so creator and target are the same). */
export function processCreatedEvent(process: ProcessCreation): EventDraft {
  const logonId = process.session?.logonId ?? '0x0';
  return {
    event: 'processCreated',
    winrmd: { ...winrmdOf(process.connectionId), ShellId: process.shellId, CommandId: process.commandId },
    data: {
      SubjectUserSid: NULL_SID,
      SubjectUserName: process.user,
      SubjectDomainName: process.domain,
      SubjectLogonId: logonId,
      NewProcessId: hex(process.pid),
      NewProcessName: process.program,
      TokenElevationType: '%%1936', // Type 1, a full token, as a remote administrator's is
      ProcessId: hex(process.parentPid),
      CommandLine: process.commandLine,
      TargetUserSid: NULL_SID,
      TargetUserName: '-',
      TargetDomainName: '-',
      TargetLogonId: '0x0',
      ParentProcessName: process.parentName,
      MandatoryLabel: 'S-1-16-12288', // High integrity
    },
  };
}

export interface BlockedConnection {
  readonly remoteAddress: string;
  readonly remotePort: number | undefined;
  readonly localAddress: string;
  readonly localPort: number | undefined;
  readonly processId: number;
  readonly application: string;
  readonly rule: string;
  readonly profile: string | undefined;
}

/**
 * 5157: the firewall refused a connection. For an inbound connection Windows names the local end
 * the Source and the remote end the Destination (the application's point of view).
 */
export function connectionBlockedEvent(blocked: BlockedConnection): EventDraft {
  return {
    event: 'connectionBlocked',
    winrmd: { Rule: blocked.rule, ...(blocked.profile === undefined ? {} : { Profile: blocked.profile }) },
    data: {
      ProcessID: String(blocked.processId),
      Application: blocked.application,
      Direction: '%%14592', // Inbound
      SourceAddress: blocked.localAddress,
      SourcePort: String(blocked.localPort ?? 0),
      DestAddress: blocked.remoteAddress,
      DestPort: String(blocked.remotePort ?? 0),
      Protocol: '6',
      FilterRTID: '0',
      LayerName: '%%14610', // Receive/Accept
      LayerRTID: '44',
      RemoteUserID: NULL_SID,
      RemoteMachineID: NULL_SID,
    },
  };
}
