/**
 * Builders of the Microsoft-Windows-WinRM/Operational events a WinRM service writes for what winrmd
 * does: the user authenticated (169) or not (161), refused by the access check (192), a client
 * operation started (81), a shell created (91). EventData names are the manifest's template names.
 */
import type { EventDraft } from './security-events.js';
import type { WinrmdFields } from './record.js';
import type { AuthMechanism } from './signals.js';

function ids(connectionId: string | undefined, shellId?: string): WinrmdFields {
  return { ...(connectionId === undefined ? {} : { ConnectionId: connectionId }), ...(shellId === undefined ? {} : { ShellId: shellId }) };
}

/** 169: `DOMAIN\user` as Windows prints the account, and the mechanism (Basic, NTLM, Kerberos). */
export function authenticatedEvent(account: string, mechanism: AuthMechanism, connectionId: string | undefined): EventDraft {
  return { event: 'winrmAuthenticated', winrmd: ids(connectionId), data: { username: account, authenticationMechanism: mechanism } };
}

/**
 * 161 carries one free-text message. Windows' wording ("The user name or password is incorrect.")
 * is used for bad credentials, so that tools keying on it match; other refusals say what happened.
 */
export function authenticationFailedEvent(badCredentials: boolean, detail: string, connectionId: string | undefined): EventDraft {
  const message = badCredentials ? 'The user name or password is incorrect.' : `Authentication failed: ${detail}`;
  return { event: 'winrmAuthFailed', winrmd: ids(connectionId), data: { authFailureMessage: message } };
}

/** 192 with ERROR_ACCESS_DENIED (5): the account is not in Administrators or Remote Management Users. */
export function authorizationFailedEvent(connectionId: string | undefined): EventDraft {
  return { event: 'winrmAuthorizationFailed', winrmd: ids(connectionId), data: { errorCode: '5' } };
}

/** 81: a client request for a state-changing operation (CreateShell, Command, Signal, DeleteShell). */
export function operationEvent(operation: string, connectionId: string | undefined, shellId: string | undefined): EventDraft {
  return { event: 'winrmOperation', winrmd: ids(connectionId, shellId), data: { operationName: operation } };
}

/** 91: the shell exists now; its ShellId is ours to correlate (the event itself has only the URI). */
export function shellCreatedEvent(resourceUri: string, shellId: string, connectionId: string | undefined): EventDraft {
  return { event: 'winrmShellCreated', winrmd: ids(connectionId, shellId), data: { resourceUri } };
}
