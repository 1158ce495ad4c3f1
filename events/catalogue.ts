/**
 * The Windows events winrmd writes: for each, the identity a Windows host gives it (provider,
 * channel, level, task, keywords, version) and its message template, whose {Names} are the
 * EventData field names Windows uses.
 *
 * Sources (checked while writing this, see the README's Events section):
 * - Security 4624, 4625, 4634, 4688, 5157: Microsoft's auditing reference (windows-itpro-docs
 *   event-NNNN pages): EventData names, Version, Task, Keywords and provider GUID are copied from
 *   their event XML.
 * - Microsoft-Windows-WinRM 91, 161, 192: the provider's manifest as dumped from Windows 10 1511
 *   (event ID, channel Operational, level, message and template field names). Task 9 and keywords
 *   0x4000000000000004 for 91 come from a captured event; for 161 and 192 they are NOT confirmed.
 * - WinRM 169 ("User ... authenticated successfully using ... authentication") and 81 ("Processing
 *   client request for operation ...") are NOT in that manifest dump (later Windows versions log
 *   them to Operational, as incident-response write-ups show); their field names are those of the
 *   analytic events with the same text (1295: username, authenticationMechanism; 788: operationName).
 */

export interface EventDefinition {
  readonly channel: string;
  readonly provider: string;
  readonly providerGuid: string;
  readonly eventId: number;
  readonly version: number;
  readonly level: number;
  readonly task: number;
  readonly opcode: number;
  readonly keywords: string;
  /** The message, with {FieldName} where Windows inserts that EventData value. */
  readonly message: string;
}

const SECURITY = { channel: 'Security', provider: 'Microsoft-Windows-Security-Auditing', providerGuid: '{54849625-5478-4994-A5BA-3E3B0328C30D}' } as const;
const WINRM = { channel: 'Microsoft-Windows-WinRM/Operational', provider: 'Microsoft-Windows-WinRM', providerGuid: '{A7975C8F-AC13-49F1-87DA-5A984A4AB417}' } as const;

/** Audit events have level 0 (LogAlways); their keywords say success or failure. */
const AUDIT_SUCCESS = '0x8020000000000000';
const AUDIT_FAILURE = '0x8010000000000000';
/** The Operational channel bit with the Server keyword, as on a captured event 91. */
const WINRM_SERVER = '0x4000000000000004';

export const LEVEL = { logAlways: 0, error: 2, warning: 3, information: 4 } as const;

export const EVENTS = {
  logon: {
    ...SECURITY, eventId: 4624, version: 2, level: LEVEL.logAlways, task: 12544, opcode: 0, keywords: AUDIT_SUCCESS,
    message: 'An account was successfully logged on. Account: {TargetDomainName}\\{TargetUserName}, Logon ID {TargetLogonId}, Logon Type {LogonType}, Authentication Package {AuthenticationPackageName}, Source {IpAddress}:{IpPort}.',
  },
  logonFailed: {
    ...SECURITY, eventId: 4625, version: 0, level: LEVEL.logAlways, task: 12546, opcode: 0, keywords: AUDIT_FAILURE,
    message: 'An account failed to log on. Account: {TargetDomainName}\\{TargetUserName}, Logon Type {LogonType}, Status {Status}, Sub Status {SubStatus}, Source {IpAddress}:{IpPort}.',
  },
  logoff: {
    ...SECURITY, eventId: 4634, version: 0, level: LEVEL.logAlways, task: 12545, opcode: 0, keywords: AUDIT_SUCCESS,
    message: 'An account was logged off. Account: {TargetDomainName}\\{TargetUserName}, Logon ID {TargetLogonId}, Logon Type {LogonType}.',
  },
  processCreated: {
    ...SECURITY, eventId: 4688, version: 2, level: LEVEL.logAlways, task: 13312, opcode: 0, keywords: AUDIT_SUCCESS,
    message: 'A new process has been created. New Process ID {NewProcessId}, Name {NewProcessName}, Command Line: {CommandLine}',
  },
  connectionBlocked: {
    ...SECURITY, eventId: 5157, version: 1, level: LEVEL.logAlways, task: 12810, opcode: 0, keywords: AUDIT_FAILURE,
    message: 'The Windows Filtering Platform has blocked a connection. Source {SourceAddress}:{SourcePort}, Destination {DestAddress}:{DestPort}, Protocol {Protocol}.',
  },
  winrmOperation: {
    ...WINRM, eventId: 81, version: 0, level: LEVEL.information, task: 0, opcode: 0, keywords: WINRM_SERVER,
    message: 'Processing client request for operation {operationName}',
  },
  winrmShellCreated: {
    ...WINRM, eventId: 91, version: 0, level: LEVEL.information, task: 9, opcode: 0, keywords: WINRM_SERVER,
    message: 'Creating WSMan shell on server with ResourceUri: {resourceUri}',
  },
  winrmAuthFailed: {
    ...WINRM, eventId: 161, version: 0, level: LEVEL.error, task: 0, opcode: 0, keywords: WINRM_SERVER,
    message: '{authFailureMessage}',
  },
  winrmAuthenticated: {
    ...WINRM, eventId: 169, version: 0, level: LEVEL.information, task: 0, opcode: 0, keywords: WINRM_SERVER,
    message: 'User {username} authenticated successfully using {authenticationMechanism} authentication',
  },
  winrmAuthorizationFailed: {
    ...WINRM, eventId: 192, version: 0, level: LEVEL.information, task: 0, opcode: 0, keywords: WINRM_SERVER,
    message: 'The authorization of the user failed with error {errorCode}',
  },
} as const satisfies Record<string, EventDefinition>;

export type EventName = keyof typeof EVENTS;

/** Fills a template's {Names} from `data`; a name with no value is left as written. */
export function renderMessage(template: string, data: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => data[name] ?? whole);
}
