/**
 * The firewall in the real server, over loopback (no root needed): every 127.x address reaches
 * 127.0.0.1, so one server shows a block rule, Service.IPv4Filter, the defaults (loopback is
 * Private: the rest of the suite connects with them), and the rate-limited drop log under a flood.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FIREWALL_RULES } from '../../firewall/default-rules.js';
import { runProbe } from '../support/firewall-probe.js';
import { startServer, type RunningServer } from '../support/server-process.js';

const RULES = [{ Name: 'Lab block', Action: 'Block', RemoteAddress: '127.0.0.3' }, ...DEFAULT_FIREWALL_RULES];

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ sets: [`Firewall.Rules=${JSON.stringify(RULES)}`, 'Service.IPv4Filter=127.0.0.1-127.0.0.3'] });
});

afterAll(async () => {
  await server.stop();
});

function logEvents(event: string): Record<string, unknown>[] {
  return server
    .logs()
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => record['event'] === event);
}

function suppressedSoFar(): number {
  return logEvents('firewall-drop-suppressed').reduce((sum, line) => sum + Number(line['suppressed']), 0);
}

/** A bare TCP connection from `localAddress`, done when the server has reset or closed it. */
function connectAndWaitForClose(port: number, localAddress: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      resolve();
    });
  });
}

describe('a server with a block rule and an IPv4 filter', () => {
  it('serves addresses the rules and the filter allow', async () => {
    const tls = await runProbe({ kind: 'tls', host: '127.0.0.1', port: server.httpsPort, localAddress: '127.0.0.2' });
    expect(tls).toMatchObject({ secure: true, firstByte: 0x16 });
    const http = await runProbe({ kind: 'http', host: '127.0.0.1', port: server.httpPort, localAddress: '127.0.0.1' });
    expect(http.statusLine).toBe('HTTP/1.1 401 Unauthorized');
  });

  it('refuses the blocked address before TLS and logs the block rule', async () => {
    const tls = await runProbe({ kind: 'tls', host: '127.0.0.1', port: server.httpsPort, localAddress: '127.0.0.3' });
    expect(tls).toMatchObject({ received: 0, secure: false, timedOut: false });
    await expect.poll(() => logEvents('firewall-drop').some((drop) => drop['remoteAddress'] === '127.0.0.3')).toBe(true);
    expect(logEvents('firewall-drop').find((drop) => drop['remoteAddress'] === '127.0.0.3')).toMatchObject({
      rule: 'Lab block',
      profile: 'Private',
      localAddress: '127.0.0.1',
      localPort: server.httpsPort,
      transport: 'https',
      bytesRead: 0,
    });
  });

  it('refuses an address outside Service.IPv4Filter, after the firewall let it through', async () => {
    const http = await runProbe({ kind: 'http', host: '127.0.0.1', port: server.httpPort, localAddress: '127.0.0.4' });
    expect(http).toMatchObject({ received: 0, statusLine: null });
    await expect.poll(() => logEvents('firewall-drop').some((drop) => drop['remoteAddress'] === '127.0.0.4')).toBe(true);
    expect(logEvents('firewall-drop').find((drop) => drop['remoteAddress'] === '127.0.0.4')).toMatchObject({ rule: 'Service.IPv4Filter', transport: 'http' });
    expect(logEvents('request').some((request) => request['remoteAddress'] === '127.0.0.4')).toBe(false);
  });

  it('counts every refused connection of a flood but logs at most 10 a second, then a summary', async () => {
    // Let the drops of the earlier tests fall into a past second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = { logged: logEvents('firewall-drop').length, suppressed: suppressedSoFar() };
    const flood = 200;
    await Promise.all(Array.from({ length: flood }, () => connectAndWaitForClose(server.httpPort, '127.0.0.5')));
    const total = (): number => logEvents('firewall-drop').length - before.logged + suppressedSoFar() - before.suppressed;
    // The summary of a second comes when that second is over.
    await expect.poll(total, { timeout: 5000 }).toBe(flood);
    const logged = logEvents('firewall-drop').length - before.logged;
    // The flood takes well under a second, but may straddle two.
    expect(logged).toBeGreaterThanOrEqual(10);
    expect(logged).toBeLessThanOrEqual(20);
    expect(logEvents('firewall-drop-suppressed').at(-1)?.['dropped']).toBeGreaterThanOrEqual(flood + 2);
  });
});
