import type { Socket } from 'node:net';
import type { SecurityContext } from '../auth/security-context.js';
import type { Principal } from './principal.js';

/** The HTTP scheme names for connection-bound mechanisms, spelt as the client spelt them back to it. */
export type ContextScheme = 'Negotiate' | 'NTLM' | 'Kerberos';

/**
 * What one TCP (or TLS) connection has proved about its client. NTLM and Kerberos over HTTP are
 * connection-oriented, as in HTTP.sys: a handshake in progress and the context it establishes
 * belong to the connection, so a challenge is worthless on any other connection, and the session
 * keys and sequence numbers live exactly as long as the connection.
 */
export class ConnectionSecurity {
  handshake: { readonly scheme: ContextScheme; readonly context: SecurityContext } | undefined;
  established:
    | { readonly scheme: ContextScheme; readonly context: SecurityContext; readonly principal: Principal }
    | undefined;

  /** Forgets everything: after a failed handshake, a refused message, or a new handshake. */
  reset(): void {
    this.handshake = undefined;
    this.established = undefined;
  }
}

const bySocket = new WeakMap<Socket, ConnectionSecurity>();

export function connectionSecurityOf(socket: Socket): ConnectionSecurity {
  let security = bySocket.get(socket);
  if (security === undefined) {
    security = new ConnectionSecurity();
    bySocket.set(socket, security);
  }
  return security;
}
