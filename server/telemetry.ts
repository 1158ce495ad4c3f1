/**
 * The one observer the server reports to (events/signals.ts): the event recorder, and the metrics
 * when Winrmd.Metrics.Port is set. Built by startEndpoint, closed when the endpoint stops.
 */
import { ConfigError } from '../config/config-error.js';
import type { Config } from '../config/index.js';
import { createEventRecorder, fanOut, type ServiceObserver } from '../events/index.js';
import { eventSettingsFrom } from '../events/settings.js';
import { ServiceMetrics, startMetricsServer, type LiveCounts, type MetricsEndpoint } from '../metrics/index.js';
import type { Logger } from './logger.js';

export interface Telemetry {
  readonly observer: ServiceObserver;
  readonly metricsPort: number | undefined;
  close(): Promise<void>;
}

export interface TelemetryIdentity {
  readonly computerName: string;
  readonly accountDomain: string;
}

const MAX_PORT = 65535;

/** Refuses bad Winrmd.Events.* and Winrmd.Metrics.* settings (ConfigError), before anything starts. */
export function checkTelemetrySettings(config: Config, stateDir: string): void {
  eventSettingsFrom(config, stateDir);
  const port = config['Winrmd.Metrics.Port'];
  if (port > MAX_PORT) throw new ConfigError(`Winrmd.Metrics.Port must be at most ${MAX_PORT}, not ${port}`);
}

export async function startTelemetry(config: Config, stateDir: string, log: Logger, identity: TelemetryIdentity, live: LiveCounts): Promise<Telemetry> {
  checkTelemetrySettings(config, stateDir);
  const recorder = createEventRecorder(config, stateDir, log, identity);
  const port = config['Winrmd.Metrics.Port'];
  let metrics: ServiceMetrics | undefined;
  let endpoint: MetricsEndpoint | undefined;
  if (port !== 0) {
    metrics = new ServiceMetrics(live);
    try {
      endpoint = await startMetricsServer(metrics.registry, config['Winrmd.Metrics.Address'], port);
    } catch (error) {
      await recorder.close();
      throw error;
    }
    log.info({ event: 'metrics-listening', address: config['Winrmd.Metrics.Address'], port: endpoint.port }, 'metrics endpoint listening');
  }
  const observer = fanOut(metrics === undefined ? [recorder] : [recorder, metrics], (error) => {
    log.error({ err: error }, 'recording an event failed');
  });
  return {
    observer,
    metricsPort: endpoint?.port,
    async close() {
      await endpoint?.close();
      await recorder.close();
    },
  };
}
