/**
 * Prometheus metrics of the service, in a registry of their own: requests by action and status,
 * authentications by scheme and outcome, connections, shells and commands, bytes in and out,
 * firewall drops, and latency histograms of authentication handshakes and requests. They are
 * updated from the same signals the events come from (events/signals.ts).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServiceObserver, ServiceSignal } from '../events/signals.js';

/** What is read when scraped rather than counted: the live shells and commands. */
export interface LiveCounts {
  readonly shells: () => number;
  readonly commands: () => number;
}

/** Requests range from a millisecond (Identify) to a Receive's full OperationTimeout (60 s by default). */
const REQUEST_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** An NTLM handshake costs the server ~50 µs; a Basic logon a scrypt (tens of ms); a throttled guess seconds. */
const HANDSHAKE_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ServiceMetrics implements ServiceObserver {
  readonly registry = new Registry();
  readonly #requests = new Counter({ name: 'winrmd_requests_total', help: 'HTTP requests answered, by transport, WS-Management action and HTTP status.', labelNames: ['transport', 'action', 'status'], registers: [this.registry] });
  readonly #requestSeconds = new Histogram({ name: 'winrmd_request_duration_seconds', help: 'Time from request to reply, by action.', labelNames: ['action'], buckets: REQUEST_BUCKETS, registers: [this.registry] });
  readonly #bytesIn = new Counter({ name: 'winrmd_received_bytes_total', help: 'Request body bytes received (as sent: sealed bodies count sealed).', labelNames: ['transport'], registers: [this.registry] });
  readonly #bytesOut = new Counter({ name: 'winrmd_sent_bytes_total', help: 'Reply body bytes sent.', labelNames: ['transport'], registers: [this.registry] });
  readonly #auth = new Counter({ name: 'winrmd_authentications_total', help: 'Authentication decisions, by HTTP scheme and outcome (success, failure, denied: authenticated but not authorised).', labelNames: ['scheme', 'outcome'], registers: [this.registry] });
  readonly #handshakeSeconds = new Histogram({ name: 'winrmd_auth_handshake_duration_seconds', help: 'Time from the first authentication token (or the Basic check) to the decision, by scheme and outcome.', labelNames: ['scheme', 'outcome'], buckets: HANDSHAKE_BUCKETS, registers: [this.registry] });
  readonly #connections = new Gauge({ name: 'winrmd_connections_active', help: 'Open client connections, by transport.', labelNames: ['transport'], registers: [this.registry] });
  readonly #connectionsTotal = new Counter({ name: 'winrmd_connections_total', help: 'Client connections accepted (after the firewall), by transport.', labelNames: ['transport'], registers: [this.registry] });
  readonly #shellsCreated = new Counter({ name: 'winrmd_shells_created_total', help: 'Shells created.', registers: [this.registry] });
  readonly #commandsStarted = new Counter({ name: 'winrmd_commands_started_total', help: 'Commands started.', registers: [this.registry] });
  readonly #drops = new Counter({ name: 'winrmd_firewall_drops_total', help: 'Connections refused by the firewall or the Service address filters, by transport and deciding rule.', labelNames: ['transport', 'rule'], registers: [this.registry] });

  constructor(live: LiveCounts, options: { readonly processMetrics?: boolean } = {}) {
    new Gauge({ name: 'winrmd_shells_active', help: 'Open shells.', registers: [this.registry], collect() { this.set(live.shells()); } });
    new Gauge({ name: 'winrmd_commands_active', help: 'Commands whose exit code has not been received yet.', registers: [this.registry], collect() { this.set(live.commands()); } });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  notify(signal: ServiceSignal): void {
    switch (signal.kind) {
      case 'connection-opened':
        this.#connections.inc({ transport: signal.connection.transport });
        this.#connectionsTotal.inc({ transport: signal.connection.transport });
        return;
      case 'connection-closed':
        this.#connections.dec({ transport: signal.connection.transport });
        return;
      case 'request-completed':
        this.#requests.inc({ transport: signal.transport, action: signal.action, status: String(signal.status) });
        this.#requestSeconds.observe({ action: signal.action }, signal.durationMs / 1000);
        this.#bytesIn.inc({ transport: signal.transport }, signal.bytesIn);
        this.#bytesOut.inc({ transport: signal.transport }, signal.bytesOut);
        return;
      case 'logon-succeeded':
        this.#authenticated(signal.scheme, 'success', signal.handshakeMs);
        return;
      case 'logon-failed':
        this.#authenticated(signal.scheme, 'failure', signal.handshakeMs);
        return;
      case 'access-denied':
        this.#auth.inc({ scheme: signal.scheme, outcome: 'denied' });
        return;
      case 'shell-created':
        this.#shellsCreated.inc();
        return;
      case 'command-started':
        this.#commandsStarted.inc();
        return;
      case 'firewall-drop':
        this.#drops.inc({ transport: signal.transport ?? 'unknown', rule: signal.rule });
        return;
      case 'operation':
        return;
    }
  }

  #authenticated(scheme: string, outcome: string, handshakeMs: number): void {
    this.#auth.inc({ scheme, outcome });
    this.#handshakeSeconds.observe({ scheme, outcome }, handshakeMs / 1000);
  }
}
