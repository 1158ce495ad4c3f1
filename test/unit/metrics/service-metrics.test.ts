/** The metrics count what the signals say happened, and the endpoint serves them in Prometheus' format. */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ServiceMetrics } from '../../../metrics/service-metrics.js';
import { startMetricsServer } from '../../../metrics/metrics-server.js';

const peer = { connectionId: 'c', remoteAddress: '192.0.2.1', remotePort: 1 };

function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ServiceMetrics', () => {
  it('counts requests, bytes, authentications, connections, shells, commands and drops', async () => {
    let shells = 2;
    const metrics = new ServiceMetrics({ shells: () => shells, commands: () => 1 }, { processMetrics: false });
    const connection = { connectionId: 'c', transport: 'https', remoteAddress: '192.0.2.1', remotePort: 1 } as const;
    metrics.notify({ kind: 'connection-opened', connection });
    metrics.notify({ kind: 'connection-opened', connection: { ...connection, connectionId: 'd' } });
    metrics.notify({ kind: 'connection-closed', connection });
    metrics.notify({ kind: 'request-completed', transport: 'https', action: 'Create', status: 200, durationMs: 12, bytesIn: 1000, bytesOut: 800 });
    metrics.notify({ kind: 'request-completed', transport: 'https', action: 'none', status: 401, durationMs: 1, bytesIn: 0, bytesOut: 0 });
    metrics.notify({ kind: 'logon-succeeded', peer, user: 'a', clientDomain: '', scheme: 'Basic', mechanism: 'Basic', handshakeMs: 40 });
    metrics.notify({ kind: 'logon-failed', peer, user: 'a', clientDomain: '', scheme: 'Negotiate', mechanism: 'NTLM', failure: 'wrong-password', detail: '', handshakeMs: 1 });
    metrics.notify({ kind: 'access-denied', peer, user: 'm', clientDomain: '', scheme: 'Basic', mechanism: 'Basic' });
    metrics.notify({ kind: 'shell-created', connectionId: 'c', user: 'a', shellId: 'S', resourceUri: 'u' });
    metrics.notify({ kind: 'command-started', connectionId: 'c', user: 'a', shellId: 'S', commandId: 'C', pid: 1, program: 'p', commandLine: 'x' });
    metrics.notify({ kind: 'firewall-drop', remoteAddress: 'r', remotePort: 1, localAddress: 'l', localPort: 2, transport: 'http', profile: 'Public', rule: 'Block all', logged: false });
    shells = 3;
    const text = await metrics.registry.metrics();
    for (const line of [
      'winrmd_connections_active{transport="https"} 1',
      'winrmd_connections_total{transport="https"} 2',
      'winrmd_requests_total{transport="https",action="Create",status="200"} 1',
      'winrmd_requests_total{transport="https",action="none",status="401"} 1',
      'winrmd_received_bytes_total{transport="https"} 1000',
      'winrmd_sent_bytes_total{transport="https"} 800',
      'winrmd_authentications_total{scheme="Basic",outcome="success"} 1',
      'winrmd_authentications_total{scheme="Negotiate",outcome="failure"} 1',
      'winrmd_authentications_total{scheme="Basic",outcome="denied"} 1',
      'winrmd_auth_handshake_duration_seconds_count{scheme="Basic",outcome="success"} 1',
      'winrmd_request_duration_seconds_bucket{le="0.025",action="Create"} 1',
      'winrmd_shells_active 3',
      'winrmd_commands_active 1',
      'winrmd_shells_created_total 1',
      'winrmd_commands_started_total 1',
      'winrmd_firewall_drops_total{transport="http",rule="Block all"} 1',
    ]) {
      expect(text).toContain(line);
    }
  });
});

describe('the metrics endpoint', () => {
  it('serves GET /metrics, and nothing else', async () => {
    const metrics = new ServiceMetrics({ shells: () => 0, commands: () => 0 });
    const endpoint = await startMetricsServer(metrics.registry, '127.0.0.1', 0);
    try {
      const scraped = await get(endpoint.port, '/metrics');
      expect(scraped.status).toBe(200);
      expect(scraped.type).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(scraped.body).toContain('# TYPE winrmd_requests_total counter');
      expect(scraped.body).toContain('process_cpu_user_seconds_total');
      expect((await get(endpoint.port, '/')).status).toBe(404);
      expect((await get(endpoint.port, '/metrics', 'POST')).status).toBe(405);
    } finally {
      await endpoint.close();
    }
  });
});
