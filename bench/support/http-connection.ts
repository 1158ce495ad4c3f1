/**
 * One kept-alive HTTP or HTTPS connection to the endpoint. NTLM's context belongs to the TCP
 * connection (notes §1.3), so the agent holds a single socket and every reply is checked to have come
 * over it. HTTPS accepts the endpoint's self-signed certificate: the benchmarks measure, not trust.
 */
import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';

export interface HttpReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Header values one per line as sent (node joins repeated ones in `headers`). */
  readonly wwwAuthenticate: readonly string[];
  readonly body: Buffer;
}

/** Long enough for a Receive that waits out its OperationTimeout; a broken run fails instead of hanging. */
const REQUEST_TIMEOUT_MS = 60_000;

export interface ConnectionOptions {
  /** HTTPS instead of HTTP. */
  readonly tls?: boolean;
}

export class KeepAliveConnection {
  readonly #agent: http.Agent;
  readonly #request: typeof http.request;
  #requests = 0;

  constructor(
    readonly port: number,
    options: ConnectionOptions = {},
  ) {
    const tls = options.tls === true;
    this.#agent = tls ? new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.#request = tls ? https.request : http.request;
  }

  post(body: Buffer, headers: OutgoingHttpHeaders): Promise<HttpReply> {
    const first = this.#requests++ === 0;
    return new Promise((resolve, reject) => {
      const req = this.#request(
        {
          method: 'POST',
          host: '127.0.0.1',
          port: this.port,
          path: '/wsman',
          agent: this.#agent,
          timeout: REQUEST_TIMEOUT_MS,
          headers: { 'Content-Length': body.length, ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              wwwAuthenticate: res.headersDistinct['www-authenticate'] ?? [],
              body: Buffer.concat(chunks),
            });
          });
        },
      );
      req.on('socket', () => {
        // A new socket would silently start unauthenticated; the numbers would then be about 401s.
        if (!first && !req.reusedSocket) req.destroy(new Error('the kept-alive connection was replaced'));
      });
      req.on('timeout', () => req.destroy(new Error(`no reply within ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
