/** `winrmd health`: exit 0 while both listeners answer, 1 with the reason once they are gone. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { probe } from '../../cli/health-command.js';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../support/client-env.js';
import { REPO_ROOT, startServer } from '../support/server-process.js';

async function health(httpPort: number, httpsPort: number): Promise<{ code: number | null; out: string; err: string }> {
  const args = [
    join(REPO_ROOT, 'bin', 'winrmd'), 'health', '--timeout', '3000',
    '--set', 'Listener.Address=127.0.0.1', '--set', `Service.DefaultPorts.HTTP=${httpPort}`, '--set', `Service.DefaultPorts.HTTPS=${httpsPort}`,
  ];
  const result = await runProcess(process.execPath, args, { env: { ...process.env } });
  return { code: result.code, out: result.stdout.toString(), err: result.stderr };
}

describe('winrmd health', () => {
  it('reports healthy while the server runs, and unhealthy once it stopped', async () => {
    const server = await startServer();
    const { httpPort, httpsPort } = server;
    try {
      const up = await health(httpPort, httpsPort);
      expect(up).toMatchObject({ code: 0, err: '' });
      expect(up.out).toBe(`healthy: http 127.0.0.1:${httpPort} answered Identify, https 127.0.0.1:${httpsPort} answered Identify\n`);
      // A probe is an anonymous Identify: no request line at info, no failed authentication.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(server.logs().filter((line) => line.includes('"event":"request"') && line.includes('"level":30'))).toEqual([]);
    } finally {
      await server.stop();
    }
    const down = await health(httpPort, httpsPort);
    expect(down.code).toBe(1);
    expect(down.out).toBe('');
    expect(down.err).toMatch(new RegExp(`^unhealthy: http 127\\.0\\.0\\.1:${httpPort}: connect ECONNREFUSED .*; https 127\\.0\\.0\\.1:${httpsPort}: connect ECONNREFUSED .*\\n$`));
  });

  it('says which listener fails when only one answers', async () => {
    const server = await startServer();
    try {
      const result = await health(server.httpPort, 1);
      expect(result.code).toBe(1);
      expect(result.err.split('\n')).toHaveLength(2);
      expect(result.err).toMatch(/^unhealthy: https 127\.0\.0\.1:1: /);
    } finally {
      await server.stop();
    }
  });

  it('calls a listener unhealthy that answers with something other than an IdentifyResponse', async () => {
    const answers = [
      { status: 401, body: '' },
      { status: 200, body: '<html>a web server</html>' },
    ];
    for (const answer of answers) {
      const other = http.createServer((request, response) => {
        request.resume();
        response.writeHead(answer.status).end(answer.body);
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      const { port } = other.address() as AddressInfo;
      try {
        const problem = await probe({ transport: 'http', host: '127.0.0.1', port }, 3000);
        expect(problem).toBe(answer.status === 401 ? 'answered 401, not 200' : 'answered 200 without an IdentifyResponse');
      } finally {
        await new Promise((resolve) => other.close(resolve));
      }
    }
  });
});
