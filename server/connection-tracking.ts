/**
 * Gives each accepted connection an id and tells the observer when it opens and closes: the id
 * ties a connection's events together (and is the XML ActivityID), and the close ends the logon
 * session bound to the connection (4634). Requests find their connection's id by their socket.
 *
 * For HTTP the tracked socket is the one 'connection' hands out, so the tracker must be installed
 * before the firewall's gate, which then hands it only admitted sockets; for HTTPS it is the TLS
 * socket of 'secureConnection', which exists only for admitted connections anyway.
 */
import { randomUUID } from 'node:crypto';
import type { Server, Socket } from 'node:net';
import type { ConnectionInfo, ServiceObserver } from '../events/signals.js';

const bySocket = new WeakMap<Socket, ConnectionInfo>();

function track(socket: Socket, transport: 'http' | 'https', observer: ServiceObserver): ConnectionInfo {
  const connection: ConnectionInfo = {
    connectionId: randomUUID(),
    transport,
    remoteAddress: socket.remoteAddress ?? '',
    remotePort: socket.remotePort,
  };
  bySocket.set(socket, connection);
  observer.notify({ kind: 'connection-opened', connection });
  socket.once('close', () => {
    observer.notify({ kind: 'connection-closed', connection });
  });
  return connection;
}

export function trackConnections(server: Server, transport: 'http' | 'https', observer: ServiceObserver): void {
  server.on(transport === 'https' ? 'secureConnection' : 'connection', (socket: Socket) => {
    track(socket, transport, observer);
  });
}

/** The connection a request came on; tracked now if it was missed (it cannot be, but ids must exist). */
export function connectionOf(socket: Socket, transport: 'http' | 'https', observer: ServiceObserver): ConnectionInfo {
  return bySocket.get(socket) ?? track(socket, transport, observer);
}
