/**
 * The Prometheus endpoint: GET /metrics on a port of its own (Winrmd.Metrics.Port), never on the
 * WinRM listeners, so that scraping needs no WinRM credentials and the firewall rules for WinRM
 * do not apply to it. Off unless a port is set.
 */
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface MetricsEndpoint {
  readonly port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(registry: Registry, address: string, port: number): Promise<MetricsEndpoint> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'Content-Type': registry.contentType });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      () => {
        response.writeHead(500).end();
      },
    );
  });
  const host = address === '*' ? '::' : address;
  await listen(server, host, port).catch(async (error: unknown) => {
    // A host without IPv6 cannot bind '::'; every IPv4 address is what '*' means there.
    if (host !== '::') throw error;
    await listen(server, '0.0.0.0', port);
  });
  const bound = server.address();
  return {
    port: typeof bound === 'object' && bound !== null ? bound.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
