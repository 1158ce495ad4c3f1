/**
 * Turns the server's signals into Windows events and hands each to every sink. This is the one
 * place that decides which events a thing that happened leaves behind (see README, Events).
 */
import { EVENTS, renderMessage } from './catalogue.js';
import { LogonSessions } from './logon-sessions.js';
import type { EventRecord } from './record.js';
import type { CommandLineRedactor } from './redact.js';
import {
  connectionBlockedEvent,
  logoffEvent,
  logonEvent,
  logonFailedEvent,
  processCreatedEvent,
  type EventDraft,
  type LogonSession,
} from './security-events.js';
import type { AuthMechanism, AuthScheme, ServiceObserver, ServiceSignal } from './signals.js';
import type { EventSink } from './sinks/event-sink.js';
import { authenticatedEvent, authenticationFailedEvent, authorizationFailedEvent, operationEvent, shellCreatedEvent } from './winrm-events.js';

export interface RecorderOptions {
  /** The Computer of every event (Winrmd.ComputerName or the host name). */
  readonly computerName: string;
  /** The domain of local accounts: the computer's NetBIOS name, as Windows writes it. */
  readonly accountDomain: string;
  readonly sinks: readonly EventSink[];
  readonly redactor: CommandLineRedactor;
  /** EventRecordID of the first event; continues the file's numbering across restarts. */
  readonly firstRecordId?: number;
  readonly now?: () => Date;
  readonly sessions?: LogonSessions;
}

export class EventRecorder implements ServiceObserver {
  readonly #options: RecorderOptions;
  readonly #sessions: LogonSessions;
  readonly #now: () => Date;
  #nextRecordId: number;

  constructor(options: RecorderOptions) {
    this.#options = options;
    this.#sessions = options.sessions ?? new LogonSessions();
    this.#now = options.now ?? (() => new Date());
    this.#nextRecordId = options.firstRecordId ?? 1;
  }

  notify(signal: ServiceSignal): void {
    for (const draft of this.#draftsFor(signal)) this.#emit(draft);
  }

  /** Ends every open logon session (4634), then closes the sinks. */
  async close(): Promise<void> {
    for (const session of this.#sessions.drain()) this.#emit(logoffEvent(session));
    await Promise.all(this.#options.sinks.map((sink) => sink.close()));
  }

  #draftsFor(signal: ServiceSignal): EventDraft[] {
    const { accountDomain } = this.#options;
    switch (signal.kind) {
      case 'connection-closed': {
        const session = this.#sessions.connectionClosed(signal.connection.connectionId);
        return session === undefined ? [] : [logoffEvent(session)];
      }
      case 'logon-succeeded': {
        const { peer } = signal;
        const change = this.#sessions.logon({
          user: signal.user,
          domain: accountDomain,
          mechanism: signal.mechanism,
          remoteAddress: peer.remoteAddress,
          remotePort: peer.remotePort,
          connectionId: peer.connectionId,
        });
        return [
          ...(change.closed === undefined ? [] : [logoffEvent(change.closed)]),
          ...(change.opened === undefined
            ? []
            : [logonEvent(change.opened), authenticatedEvent(`${accountDomain}\\${signal.user}`, signal.mechanism, peer.connectionId)]),
        ];
      }
      case 'logon-failed': {
        const { peer } = signal;
        const failed = logonFailedEvent({
          user: signal.user,
          domain: signal.clientDomain === '' ? accountDomain : signal.clientDomain,
          mechanism: signal.mechanism ?? mechanismOf(signal.scheme),
          failure: signal.failure,
          remoteAddress: peer.remoteAddress,
          remotePort: peer.remotePort,
          connectionId: peer.connectionId,
        });
        const badCredentials = signal.failure === 'unknown-user' || signal.failure === 'wrong-password';
        return [failed, authenticationFailedEvent(badCredentials, signal.detail, peer.connectionId)];
      }
      case 'access-denied': {
        // Windows logs the logon (LSA accepted the credentials), WinRM's refusal, and the token's end.
        const session: LogonSession = {
          logonId: this.#sessions.newLogonId(),
          user: signal.user,
          domain: accountDomain,
          mechanism: signal.mechanism,
          remoteAddress: signal.peer.remoteAddress,
          remotePort: signal.peer.remotePort,
          connectionId: signal.peer.connectionId,
        };
        return [logonEvent(session), authorizationFailedEvent(signal.peer.connectionId), logoffEvent(session)];
      }
      case 'operation':
        return [operationEvent(signal.operation, signal.connectionId, signal.shellId)];
      case 'shell-created':
        return [shellCreatedEvent(signal.resourceUri, signal.shellId, signal.connectionId)];
      case 'command-started':
        return [
          processCreatedEvent({
            session: this.#sessions.sessionOf(signal.connectionId),
            user: signal.user,
            domain: accountDomain,
            pid: signal.pid,
            program: signal.program,
            commandLine: this.#options.redactor.redact(signal.commandLine),
            parentPid: process.pid,
            parentName: process.execPath,
            shellId: signal.shellId,
            commandId: signal.commandId,
            connectionId: signal.connectionId,
          }),
        ];
      case 'firewall-drop':
        // Only the drops the drop log writes: its rate limit keeps a flood from rotating the evidence away.
        if (!signal.logged) return [];
        return [connectionBlockedEvent({ ...signal, processId: process.pid, application: process.execPath })];
      case 'connection-opened':
      case 'request-completed':
        return [];
    }
  }

  #emit(draft: EventDraft): void {
    const definition = EVENTS[draft.event];
    const record: EventRecord = {
      TimeCreated: this.#now().toISOString(),
      EventRecordID: this.#nextRecordId++,
      Channel: definition.channel,
      Provider: definition.provider,
      ProviderGuid: definition.providerGuid,
      EventID: definition.eventId,
      Version: definition.version,
      Level: definition.level,
      Task: definition.task,
      Opcode: definition.opcode,
      Keywords: definition.keywords,
      Computer: this.#options.computerName,
      ProcessID: process.pid,
      Message: renderMessage(definition.message, draft.data),
      EventData: draft.data,
      Winrmd: draft.winrmd,
    };
    for (const sink of this.#options.sinks) sink.write(record);
  }
}

/** A failed Negotiate handshake that never named its mechanism is counted as NTLM, its usual one. */
function mechanismOf(scheme: AuthScheme): AuthMechanism {
  return scheme === 'Basic' ? 'Basic' : scheme === 'Kerberos' ? 'Kerberos' : 'NTLM';
}
