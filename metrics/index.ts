export { ServiceMetrics, type LiveCounts } from './service-metrics.js';
export { startMetricsServer, type MetricsEndpoint } from './metrics-server.js';
