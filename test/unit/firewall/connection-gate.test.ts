/**
 * Refusal at accept time, on real sockets over loopback: a refused TLS client gets a reset or a
 * close and no ServerHello, a refused HTTP client no status line, and the server side never sees
 * a byte (no handshake, no TLS or HTTP client error, no request, bytesRead 0). The host is faked
 * as having only 127.0.0.1/32 on a Public `lo`, so 127.0.0.1 is LocalSubnet and 127.0.0.2 is not.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server, Socket } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import { generate } from 'selfsigned';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.js';
import { ConnectionFirewall, firewallSettingsFrom, InterfaceTable, NO_MATCHING_RULE } from '../../../firewall/index.js';
import { runProbe } from '../../support/firewall-probe.js';

const LOOPBACK_ONLY: NodeJS.Dict<NetworkInterfaceInfo[]> = {
  lo: [{ address: '127.0.0.1', cidr: '127.0.0.1/32', netmask: '255.255.255.255', family: 'IPv4', internal: true, mac: '00:00:00:00:00:00' }],
};

/** What the server side saw: events that only happen once bytes were read, and bytes read. */
interface ServerSight {
  events: string[];
  bytesReadAtClose: number[];
}

const drops: Record<string, unknown>[] = [];
let firewall: ConnectionFirewall;
let https: Server;
let http: HttpServer;
const httpsSight: ServerSight = { events: [], bytesReadAtClose: [] };
const httpSight: ServerSight = { events: [], bytesReadAtClose: [] };

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

/** Added after the gate, so it sees refused sockets too: only to read their byte count. */
function watchSockets(server: Server, sight: ServerSight): void {
  server.on('connection', (socket: Socket) => {
    socket.on('close', () => {
      sight.bytesReadAtClose.push(socket.bytesRead);
    });
  });
}

let httpsPort = 0;
let httpPort = 0;

beforeAll(async () => {
  const settings = firewallSettingsFrom(await loadConfig({ sets: ['Firewall.Profiles=lo=Public'] }));
  firewall = new ConnectionFirewall(settings, { log: { info: (fields) => drops.push(fields) }, interfaces: new InterfaceTable({ source: () => LOOPBACK_ONLY }) });
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048 });

  https = createHttpsServer({ cert: pems.cert, key: pems.private }, (_request, response) => response.end('ok'));
  https.on('secureConnection', () => httpsSight.events.push('secureConnection'));
  https.on('tlsClientError', (error: Error) => httpsSight.events.push(`tlsClientError ${error.message}`));
  firewall.guard(https, 'https');
  watchSockets(https, httpsSight);

  http = createHttpServer((_request, response) => {
    httpSight.events.push('request');
    response.end('ok');
  });
  http.on('clientError', (error: Error) => httpSight.events.push(`clientError ${error.message}`));
  firewall.guard(http, 'http');
  watchSockets(http, httpSight);

  [httpsPort, httpPort] = await Promise.all([listen(https), listen(http)]);
  return async () => {
    http.closeAllConnections();
    await Promise.all([new Promise((resolve) => https.close(resolve)), new Promise((resolve) => http.close(resolve))]);
  };
});

describe('a refused HTTPS connection', () => {
  it('is reset or closed before the handshake: no ServerHello, and the server read nothing', async () => {
    const before = { events: httpsSight.events.length, closes: httpsSight.bytesReadAtClose.length, dropped: firewall.dropped };
    const result = await runProbe({ kind: 'tls', host: '127.0.0.1', port: httpsPort, localAddress: '127.0.0.2' });
    expect(result).toMatchObject({ received: 0, secure: false, timedOut: false });
    expect([null, 'ECONNRESET']).toContain(result.error);
    await expect.poll(() => httpsSight.bytesReadAtClose.length).toBe(before.closes + 1);
    expect(httpsSight.bytesReadAtClose.slice(before.closes)).toEqual([0]);
    expect(httpsSight.events.slice(before.events)).toEqual([]);
    expect(firewall.dropped).toBe(before.dropped + 1);
    expect(drops.at(-1)).toMatchObject({
      event: 'firewall-drop',
      remoteAddress: '127.0.0.2',
      localAddress: '127.0.0.1',
      localPort: httpsPort,
      transport: 'https',
      profile: 'Public',
      rule: NO_MATCHING_RULE,
      bytesRead: 0,
    });
  });

  it('while a client on the local subnet gets its handshake', async () => {
    const result = await runProbe({ kind: 'tls', host: '127.0.0.1', port: httpsPort, localAddress: '127.0.0.1' });
    expect(result).toMatchObject({ connected: true, secure: true, firstByte: 0x16 });
    await expect.poll(() => httpsSight.events.includes('secureConnection')).toBe(true);
  });
});

describe('a refused HTTP connection', () => {
  it('gets no status line, and the HTTP parser never saw a byte', async () => {
    const before = { events: httpSight.events.length, closes: httpSight.bytesReadAtClose.length };
    const result = await runProbe({ kind: 'http', host: '127.0.0.1', port: httpPort, localAddress: '127.0.0.2' });
    expect(result).toMatchObject({ received: 0, statusLine: null, timedOut: false });
    expect([null, 'ECONNRESET']).toContain(result.error);
    await expect.poll(() => httpSight.bytesReadAtClose.length).toBe(before.closes + 1);
    expect(httpSight.bytesReadAtClose.slice(before.closes)).toEqual([0]);
    expect(httpSight.events.slice(before.events)).toEqual([]);
    expect(drops.at(-1)).toMatchObject({ remoteAddress: '127.0.0.2', transport: 'http', localPort: httpPort });
  });

  it('while a client on the local subnet gets its reply', async () => {
    const result = await runProbe({ kind: 'http', host: '127.0.0.1', port: httpPort, localAddress: '127.0.0.1' });
    expect(result.statusLine).toBe('HTTP/1.1 200 OK');
    expect(httpSight.events).toContain('request');
  });
});
