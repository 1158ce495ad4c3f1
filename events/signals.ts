/**
 * What the server tells its observers: one typed signal per thing that happened. The server holds a
 * single ServiceObserver (events and metrics fanned out behind it), so each emission point is one
 * `observer.notify(...)` line and knows nothing of event IDs, files or Prometheus.
 */

/** Who is on the other end of a request, as far as the listener knows it. */
export interface Peer {
  /** Our id for the TCP (or TLS) connection; undefined when not known (unit tests). */
  readonly connectionId: string | undefined;
  readonly remoteAddress: string;
  readonly remotePort: number | undefined;
}

/** The HTTP scheme the client used, and the mechanism that actually proved it (Negotiate carries NTLM or Kerberos). */
export type AuthScheme = 'Basic' | 'Negotiate' | 'NTLM' | 'Kerberos';
export type AuthMechanism = 'Basic' | 'NTLM' | 'Kerberos';

/** Why a logon failed, in the terms Windows' Status/SubStatus codes distinguish. */
export type LogonFailure = 'unknown-user' | 'wrong-password' | 'clock-skew' | 'refused';

export interface ConnectionInfo {
  readonly connectionId: string;
  readonly transport: 'http' | 'https';
  readonly remoteAddress: string;
  readonly remotePort: number | undefined;
}

export type ServiceSignal =
  | { readonly kind: 'connection-opened'; readonly connection: ConnectionInfo }
  | { readonly kind: 'connection-closed'; readonly connection: ConnectionInfo }
  | {
      readonly kind: 'logon-succeeded';
      readonly peer: Peer;
      readonly user: string;
      /** The domain as the client sent it (NTLM), or '' (Basic: a local account). */
      readonly clientDomain: string;
      readonly scheme: AuthScheme;
      readonly mechanism: AuthMechanism;
      /** From the first token (or the Basic check) to the decision. */
      readonly handshakeMs: number;
    }
  | {
      readonly kind: 'logon-failed';
      readonly peer: Peer;
      /** The name the client sent ('(unknown)' when the token never got that far). */
      readonly user: string;
      readonly clientDomain: string;
      readonly scheme: AuthScheme;
      readonly mechanism: AuthMechanism | undefined;
      readonly failure: LogonFailure;
      /** Our reason, for the WinRM event's message; never holds a credential. */
      readonly detail: string;
      readonly handshakeMs: number;
    }
  | {
      readonly kind: 'access-denied';
      readonly peer: Peer;
      readonly user: string;
      readonly clientDomain: string;
      readonly scheme: AuthScheme;
      readonly mechanism: AuthMechanism;
    }
  | {
      /** A state-changing WS-Management operation a client asked for (CreateShell, Command, Signal, DeleteShell). */
      readonly kind: 'operation';
      readonly connectionId: string | undefined;
      readonly user: string;
      readonly operation: string;
      readonly resourceUri: string | undefined;
      readonly shellId: string | undefined;
    }
  | {
      readonly kind: 'shell-created';
      readonly connectionId: string | undefined;
      readonly user: string;
      readonly shellId: string;
      readonly resourceUri: string;
    }
  | {
      readonly kind: 'command-started';
      readonly connectionId: string | undefined;
      readonly user: string;
      readonly shellId: string;
      readonly commandId: string;
      readonly pid: number | undefined;
      /** The program the process runs (the interpreter, or the executable with WINRS_SKIP_CMD_SHELL). */
      readonly program: string;
      /** As the client sent it: redaction happens in the recorder, once for every sink. */
      readonly commandLine: string;
    }
  | {
      readonly kind: 'request-completed';
      readonly transport: 'http' | 'https';
      /** The last segment of the WS-Addressing action (Create, Command, Receive...), or 'none'. */
      readonly action: string;
      readonly status: number;
      readonly durationMs: number;
      readonly bytesIn: number;
      readonly bytesOut: number;
    }
  | {
      readonly kind: 'firewall-drop';
      readonly remoteAddress: string;
      readonly remotePort: number | undefined;
      readonly localAddress: string;
      readonly localPort: number | undefined;
      readonly transport: 'http' | 'https' | undefined;
      readonly profile: string | undefined;
      readonly rule: string;
      /** False when the drop log's rate limit left this one out: it is counted, not written. */
      readonly logged: boolean;
    };

export interface ServiceObserver {
  notify(signal: ServiceSignal): void;
}

/** For code paths (and tests) that run without telemetry. */
export const NO_OBSERVER: ServiceObserver = { notify: () => undefined };

/** One observer that hands every signal to each of `observers`; one failing never stops the others. */
export function fanOut(observers: readonly ServiceObserver[], onError: (error: unknown) => void): ServiceObserver {
  return {
    notify(signal) {
      for (const observer of observers) {
        try {
          observer.notify(signal);
        } catch (error) {
          onError(error);
        }
      }
    },
  };
}
