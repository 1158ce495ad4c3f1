/**
 * What the orchestrator asks of the load generator (one JSON argument) and what it prints back (JSON
 * lines on stdout). Shared by both processes; no behaviour here.
 */

/** How the load generator reaches winrmd and authenticates. */
export interface Endpoint {
  readonly port: number;
  readonly auth: 'basic-https' | 'ntlm-http' | 'kerberos-http';
  readonly user: string;
  readonly password: string;
  /** For kerberos-http: a `FILE:` credential cache holding a ticket for HTTP/localhost. */
  readonly ccache?: string;
}

/**
 * A latency scenario's runs: `samples` timed after `warmup` untimed, in shells that read the login
 * profile before each command line or not (WINRS_NOPROFILE; bench/support/winrs-driver.ts).
 */
interface LatencyRuns {
  readonly endpoint: Endpoint;
  readonly samples: number;
  readonly warmup: number;
  readonly loginProfile: boolean;
}

export type LoadSpec =
  /** Command `true`, Receive until Done, Signal, in one shell opened beforehand; ms per command. */
  | ({ readonly kind: 'shell-command' } & LatencyRuns)
  /** Create, Command, Receive, Signal, Delete on a kept connection; ms per run. */
  | ({ readonly kind: 'run-cmd' } & LatencyRuns)
  /** A new connection (TCP, TLS, authentication), then a whole run_cmd of `true`; ms per connection. */
  | ({ readonly kind: 'new-connection' } & LatencyRuns)
  /** `head -c bytes /dev/zero` received in full; ms for the transfer. */
  | { readonly kind: 'stdout'; readonly endpoint: Endpoint; readonly bytes: number; readonly maxEnvelopeSize: number }
  /** `bytes` of stdin sent into `cat > /dev/null` until the command is Done; ms for the transfer. */
  | { readonly kind: 'stdin'; readonly endpoint: Endpoint; readonly bytes: number; readonly maxEnvelopeSize: number }
  /** Unauthenticated Identify over `connections` kept-alive HTTP connections for `seconds`. */
  | { readonly kind: 'identify'; readonly port: number; readonly connections: number; readonly seconds: number }
  /** Shells running `command` over one NTLM connection per user; held until stdin closes. */
  | { readonly kind: 'shells'; readonly port: number; readonly users: readonly { user: string; password: string }[]; readonly perUser: number; readonly command: string }
  /** CPU time of one NTLM handshake and one Kerberos AP-REQ accept, server side, in-process. */
  | { readonly kind: 'handshake-cpu'; readonly iterations: number };

export type LoadResult =
  | { readonly kind: 'samples'; readonly ms: readonly number[] }
  /**
   * Printed just before a transfer's timed part and just after it; the load generator then waits
   * for a line on its stdin, so that the orchestrator reads the server's CPU at exactly those points.
   */
  | { readonly kind: 'transfer-mark'; readonly at: 'start' | 'end' }
  /** `cpuMicros`: the load generator's own CPU (user + system, all threads) during the `ms`. */
  | { readonly kind: 'transfer'; readonly ms: number; readonly bytes: number; readonly cpuMicros: number }
  /** `requests` in `ms`, after `warmupRequests` untimed ones. */
  | { readonly kind: 'identify'; readonly requests: number; readonly ms: number; readonly warmupRequests: number }
  /** Printed when the shells' creation starts, and when every command has been started. */
  | { readonly kind: 'shells-starting' }
  | { readonly kind: 'shells-up'; readonly ms: number; readonly shells: number }
  | { readonly kind: 'handshake-cpu'; readonly ntlmMicros: number; readonly kerberosMicros: number };
