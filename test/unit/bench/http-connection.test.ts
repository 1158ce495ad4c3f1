/**
 * The load generator's own HTTP/1.1 client (bench/support/http-connection.ts): replies read whole
 * however the bytes arrive, one socket for the connection's life.
 */
import net from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { KeepAliveConnection } from '../../../bench/support/http-connection.js';

const servers: net.Server[] = [];
const connections: KeepAliveConnection[] = [];

afterEach(() => {
  for (const connection of connections.splice(0)) connection.close();
  for (const server of servers.splice(0)) server.close();
});

/** A server that answers each request (read up to its blank line and body) with `replies` in turn, each written in the pieces given. */
async function serve(replies: readonly (readonly string[])[], requests: string[] = []): Promise<number> {
  const server = net.createServer((socket) => {
    let received = '';
    let next = 0;
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      const headEnd = received.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(received)?.[1] ?? 0);
      if (headEnd < 0 || received.length < headEnd + 4 + length) return;
      requests.push(received.slice(0, headEnd + 4 + length));
      received = received.slice(headEnd + 4 + length);
      const pieces = replies[next++] ?? [];
      // Each piece in its own write, a moment apart, so the client sees them as separate reads.
      pieces.forEach((piece, index) => setTimeout(() => socket.write(piece, 'latin1'), index * 5));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function connect(port: number): KeepAliveConnection {
  const connection = new KeepAliveConnection(port);
  connections.push(connection);
  return connection;
}

describe('KeepAliveConnection', () => {
  it('sends the headers and body, and reads a sized reply split anywhere, head included', async () => {
    const requests: string[] = [];
    const port = await serve([['HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Le', 'ngth: 11\r\n\r\nhello', ' world']], requests);
    const reply = await connect(port).post(Buffer.from('<x/>'), { Authorization: 'Basic YTpi', 'Content-Type': 'application/soap+xml' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/soap+xml');
    expect(reply.body.toString()).toBe('hello world');
    expect(requests[0]).toMatch(/^POST \/wsman HTTP\/1\.1\r\n/);
    expect(requests[0]).toContain('\r\nContent-Length: 4\r\n');
    expect(requests[0]).toContain('\r\nAuthorization: Basic YTpi\r\n');
    expect(requests[0]?.endsWith('\r\n\r\n<x/>')).toBe(true);
  });

  it('keeps each WWW-Authenticate value, reads a chunked body, and goes on on the same socket', async () => {
    const port = await serve([
      ['HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate\r\nWWW-Authenticate: Basic realm="WSMAN"\r\nContent-Length: 0\r\n\r\n'],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel', 'lo\r\n6\r\n world\r\n0\r\n\r\n'],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Trailer: 1\r\n', '\r\n'],
      ['HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext'],
    ]);
    const connection = connect(port);
    const first = await connection.post(Buffer.alloc(0), {});
    expect(first.status).toBe(401);
    expect(first.wwwAuthenticate).toEqual(['Negotiate', 'Basic realm="WSMAN"']);
    expect(first.body.length).toBe(0);
    const second = await connection.post(Buffer.from('again'), {});
    expect(second.body.toString()).toBe('hello world');
    // A trailer field is read past, so the next reply starts where it should.
    expect((await connection.post(Buffer.from('3'), {})).body.toString()).toBe('abc');
    expect((await connection.post(Buffer.from('4'), {})).body.toString()).toBe('next');
  });

  it('fails the waiting request and every later one once the socket has gone', async () => {
    const server = net.createServer((socket) => socket.on('data', () => socket.destroy()));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const connection = connect(address.port);
    await expect(connection.post(Buffer.from('x'), {})).rejects.toThrow(/closed/);
    await expect(connection.post(Buffer.from('x'), {})).rejects.toThrow(/closed/);
  });
});
