/**
 * Logon sessions by connection, for 4624/4634 as Windows pairs them for network logons.
 *
 * An NTLM or Kerberos logon belongs to its TCP connection (HTTP.sys keeps the token for the
 * connection): 4624 when the handshake completes, 4634 when the connection closes or a new
 * handshake on it replaces the session. Basic sends the password with every request; Windows
 * caches the resulting token rather than logging on anew each time, so winrmd opens one session
 * per connection and account too: the first Basic request on a connection logs on, later ones with
 * the same account reuse the session, and the connection's close logs off.
 */
import type { LogonSession } from './security-events.js';
import type { AuthMechanism } from './signals.js';

export interface SessionChange {
  /** The session that was opened, when this logon opened one. */
  readonly opened: LogonSession | undefined;
  /** The session on this connection that the new one replaced. */
  readonly closed: LogonSession | undefined;
}

export class LogonSessions {
  readonly #byConnection = new Map<string, LogonSession>();
  #nextLogonId: number;

  /** Logon IDs count up from a random start, like LUIDs after a boot. */
  constructor(firstLogonId: number = 0x100000 + Math.floor(Math.random() * 0xefffff)) {
    this.#nextLogonId = firstLogonId;
  }

  newLogonId(): string {
    const id = `0x${this.#nextLogonId.toString(16)}`;
    this.#nextLogonId += 1;
    return id;
  }

  /** Records a successful authentication; says which session (if any) it opened and closed. */
  logon(details: Omit<LogonSession, 'logonId'>): SessionChange {
    const { connectionId } = details;
    const current = connectionId === undefined ? undefined : this.#byConnection.get(connectionId);
    if (current !== undefined && isReuse(current, details.user, details.mechanism)) return { opened: undefined, closed: undefined };
    const opened: LogonSession = { ...details, logonId: this.newLogonId() };
    if (connectionId !== undefined) this.#byConnection.set(connectionId, opened);
    return { opened, closed: current };
  }

  /** The connection closed: its session, if it had one, ends. */
  connectionClosed(connectionId: string): LogonSession | undefined {
    const session = this.#byConnection.get(connectionId);
    this.#byConnection.delete(connectionId);
    return session;
  }

  sessionOf(connectionId: string | undefined): LogonSession | undefined {
    return connectionId === undefined ? undefined : this.#byConnection.get(connectionId);
  }

  /** Every open session (at shutdown, each gets its 4634). */
  drain(): LogonSession[] {
    const sessions = [...this.#byConnection.values()];
    this.#byConnection.clear();
    return sessions;
  }
}

/** Only Basic reuses a session: a completed NTLM or Kerberos handshake is always a new logon. */
function isReuse(current: LogonSession, user: string, mechanism: AuthMechanism): boolean {
  return mechanism === 'Basic' && current.mechanism === 'Basic' && current.user.toLowerCase() === user.toLowerCase();
}
