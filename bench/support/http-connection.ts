/**
 * One kept-alive HTTP or HTTPS connection to the endpoint. NTLM's context belongs to the TCP
 * connection (notes §1.3), so the connection is one socket for its whole life, and a request after
 * the socket has gone fails instead of silently starting over unauthenticated. HTTPS accepts the
 * endpoint's self-signed certificate: the benchmarks measure, not trust.
 *
 * HTTP/1.1 is written and read here on the socket directly rather than through node:http's client:
 * its agent, request and response objects cost about a millisecond of CPU per exchange on a small
 * machine, as much as the server's own work on a short request, and the load generator shares the
 * machine's cores with the server it measures. Only what winrmd's replies use is read: a status
 * line, headers, and a body sized by Content-Length or sent chunked.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

export interface HttpReply {
  readonly status: number;
  /** Header names in lower case; repeated ones joined with ", " as node:http joins them. */
  readonly headers: IncomingHttpHeaders;
  /** Header values one per line as sent. */
  readonly wwwAuthenticate: readonly string[];
  readonly body: Buffer;
}

/** Long enough for a Receive that waits out its OperationTimeout; a broken run fails instead of hanging. */
const REQUEST_TIMEOUT_MS = 60_000;

export interface ConnectionOptions {
  /** HTTPS instead of HTTP. */
  readonly tls?: boolean;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

interface Pending {
  readonly resolve: (reply: HttpReply) => void;
  readonly reject: (error: Error) => void;
}

export class KeepAliveConnection {
  readonly #socket: net.Socket;
  readonly #connected: Promise<void>;
  /** Bytes read and not yet part of a whole reply, joined only when a reply is whole (or for its head). */
  #chunks: Buffer[] = [];
  #bytes = 0;
  /** The head of the reply being read, once it has arrived, and where its body starts. */
  #head: (Head & { readonly bodyStart: number }) | undefined;
  #pending: Pending | undefined;
  #closed: Error | undefined;
  /** Set once connected: from then on a request is written in the call that makes it. */
  #up = false;

  constructor(
    readonly port: number,
    options: ConnectionOptions = {},
  ) {
    const secure = options.tls === true;
    this.#socket = secure ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }) : net.connect({ host: '127.0.0.1', port });
    this.#socket.setNoDelay(true);
    this.#connected = new Promise((resolve, reject) => {
      this.#socket.once(secure ? 'secureConnect' : 'connect', () => {
        this.#up = true;
        resolve();
      });
      this.#socket.once('error', reject);
    });
    this.#connected.catch(() => undefined);
    this.#socket.on('data', (data: Buffer) => {
      this.#chunks.push(data);
      this.#bytes += data.length;
      try {
        this.#takeReply();
      } catch (error) {
        // A reply this client cannot read fails the request (and the connection), not the process.
        this.#socket.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    });
    this.#socket.on('error', (error) => {
      this.#fail(error);
    });
    this.#socket.on('close', () => {
      this.#fail(new Error('the kept-alive connection was closed'));
    });
    this.#socket.setTimeout(REQUEST_TIMEOUT_MS, () => {
      if (this.#pending !== undefined) this.#socket.destroy(new Error(`no reply within ${REQUEST_TIMEOUT_MS} ms`));
    });
  }

  /**
   * Sends a request; on a connection that is up its bytes are written before this returns, so a
   * caller can go on to other work (sealing its next message) while the server reads them. Awaiting
   * the connection first even when it is up would put that work ahead of the write.
   */
  post(body: Buffer, headers: OutgoingHttpHeaders): Promise<HttpReply> {
    if (!this.#up) return this.#connected.then(() => this.post(body, headers));
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    if (this.#pending !== undefined) return Promise.reject(new Error('one request at a time on a kept-alive connection'));
    let head = `POST /wsman HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\nConnection: keep-alive\r\nContent-Length: ${body.length}\r\n`;
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined || name.toLowerCase() === 'content-length') continue;
      for (const one of Array.isArray(value) ? value : [value]) head += `${name}: ${String(one)}\r\n`;
    }
    head += '\r\n';
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#socket.cork();
      this.#socket.write(head, 'latin1');
      if (body.length > 0) this.#socket.write(body);
      this.#socket.uncork();
    });
  }

  close(): void {
    this.#socket.destroy();
  }

  /** Resolves the waiting request once the bytes read hold its whole reply. */
  #takeReply(): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    if (this.#head === undefined) {
      const received = this.#joined();
      const headEnd = received.indexOf(HEADER_END);
      if (headEnd < 0) return;
      this.#head = { ...parseHead(received.toString('latin1', 0, headEnd)), bodyStart: headEnd + HEADER_END.length };
    }
    const head = this.#head;
    // A sized body is joined once, when all of it is here (a half-megabyte reply comes in many reads).
    if (!head.chunked && this.#bytes < head.bodyStart + head.contentLength) return;
    const received = this.#joined();
    const framed = head.chunked ? unchunk(received, head.bodyStart) : sized(received, head.bodyStart, head.contentLength);
    if (framed === undefined) return;
    const rest = received.subarray(framed.end);
    this.#chunks = rest.length === 0 ? [] : [rest];
    this.#bytes = rest.length;
    this.#head = undefined;
    this.#pending = undefined;
    pending.resolve({ status: head.status, headers: head.headers, wwwAuthenticate: head.wwwAuthenticate, body: framed.body });
  }

  #joined(): Buffer {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks, this.#bytes)];
    return this.#chunks[0] ?? Buffer.alloc(0);
  }

  #fail(error: Error): void {
    this.#closed ??= error;
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(error);
  }
}

interface Head {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly wwwAuthenticate: readonly string[];
  readonly contentLength: number;
  readonly chunked: boolean;
}

function parseHead(text: string): Head {
  const [statusLine = '', ...lines] = text.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!Number.isInteger(status)) throw new Error(`not an HTTP reply: ${statusLine}`);
  const headers: Record<string, string> = {};
  const wwwAuthenticate: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'www-authenticate') wwwAuthenticate.push(value);
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return {
    status,
    headers,
    wwwAuthenticate,
    contentLength: Number(headers['content-length'] ?? 0),
    chunked: /\bchunked\b/i.test(headers['transfer-encoding'] ?? ''),
  };
}

/** The body of `length` bytes from `start`, once all of it has arrived. */
function sized(received: Buffer, start: number, length: number): { body: Buffer; end: number } | undefined {
  if (received.length < start + length) return undefined;
  return { body: received.subarray(start, start + length), end: start + length };
}

/** A chunked body from `start`, joined, once its last chunk and the trailer's end have arrived. */
function unchunk(received: Buffer, start: number): { body: Buffer; end: number } | undefined {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = received.indexOf(CRLF, at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(received.toString('latin1', at, lineEnd), 16);
    if (!Number.isInteger(size)) throw new Error('a malformed chunk size');
    const dataStart = lineEnd + CRLF.length;
    if (size === 0) {
      // Trailer fields, if any, end with an empty line, as the head does.
      if (received.length < dataStart + CRLF.length) return undefined;
      const end = received.subarray(dataStart, dataStart + CRLF.length).equals(CRLF) ? dataStart + CRLF.length : received.indexOf(HEADER_END, dataStart) + HEADER_END.length;
      if (end < HEADER_END.length) return undefined;
      return { body: Buffer.concat(parts), end };
    }
    if (received.length < dataStart + size + CRLF.length) return undefined;
    parts.push(received.subarray(dataStart, dataStart + size));
    at = dataStart + size + CRLF.length;
  }
}
