/**
 * Refusal at accept time. A Node server hands each accepted socket to its 'connection' listeners:
 * for HTTP the parser is attached there, for HTTPS the TLS handshake starts there. The gate takes
 * those listeners over, so a refused socket never reaches them: it is reset in the same tick it
 * was accepted, before the event loop could read a byte from it, so no TLS or HTTP byte is read.
 */
import type { Server, Socket } from 'node:net';

/**
 * Puts `admit` in front of `server`'s 'connection' listeners. Call it after the server is
 * constructed (that is when Node's HTTP and TLS servers add their listeners) and before listen().
 */
export function gateConnections(server: Server, admit: (socket: Socket) => boolean): void {
  const downstream = server.rawListeners('connection');
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    if (!admit(socket)) {
      // A reset, not a graceful close: the client learns at once that it was refused, and the
      // kernel discards whatever it had already received for us.
      socket.on('error', () => undefined);
      socket.resetAndDestroy();
      return;
    }
    for (const listener of downstream) Reflect.apply(listener, server, [socket]);
  });
}
