/** `winrmd health`: exit 0 while both listeners answer, 1 with the reason once they are gone. */
import { join } from 'node:path';
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
      expect(up.out).toBe(`healthy: http 127.0.0.1:${httpPort} answered 401, https 127.0.0.1:${httpsPort} answered 401\n`);
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
});
