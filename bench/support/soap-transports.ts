/**
 * Two ways a client talks SOAP to the endpoint, behind one interface so that the WinRS driver (and
 * its own client-side cost) is identical in both: Basic with plaintext bodies (AllowUnencrypted),
 * and NTLM over `Negotiate` with every body sealed as multipart/encrypted, as pywinrm does.
 */
import { buildNegotiate, TestClientSession } from '../../test/unit/auth/ntlm/ntlm-test-client.js';
import { SOAP_CONTENT_TYPE, clientOpen, clientSeal } from './encrypted-messages.js';
import { KeepAliveConnection, type ConnectionOptions } from './http-connection.js';
import { clientAuthenticate, type NtlmCredentials } from './ntlm-fixtures.js';

export interface SoapReply {
  readonly status: number;
  /** The plaintext body, after unsealing or unwrapping. */
  readonly body: Buffer;
  /** The body as text, decoded when first asked for: a half-megabyte Receive reply is scanned as bytes. */
  readonly text: string;
}

export function soapReply(status: number, body: Buffer): SoapReply {
  let text: string | undefined;
  return {
    status,
    body,
    get text(): string {
      text ??= body.toString('utf8');
      return text;
    },
  };
}

/** A request made ready to go: its body sealed where the transport seals, its headers chosen. */
export interface PreparedRequest {
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

export interface SoapTransport {
  /** Sends an envelope, as text or already as its UTF-8 bytes: `send(prepare(xml))`. */
  exchange(xml: string | Buffer): Promise<SoapReply>;
  /**
   * Makes a request ready without sending it, so that a client can seal its next message while the
   * server works on the last. Sealing takes the next sequence number: prepared requests must be
   * sent in the order they were prepared.
   */
  prepare(xml: string | Buffer): PreparedRequest;
  send(request: PreparedRequest): Promise<SoapReply>;
  close(): void;
}

export class BasicTransport implements SoapTransport {
  readonly #connection: KeepAliveConnection;
  readonly #authorization: string;

  constructor(port: number, user: string, password: string, options: ConnectionOptions = {}) {
    this.#connection = new KeepAliveConnection(port, options);
    this.#authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }

  exchange(xml: string | Buffer): Promise<SoapReply> {
    return this.send(this.prepare(xml));
  }

  prepare(xml: string | Buffer): PreparedRequest {
    return { body: utf8(xml), headers: { Authorization: this.#authorization, 'Content-Type': SOAP_CONTENT_TYPE } };
  }

  async send(request: PreparedRequest): Promise<SoapReply> {
    const reply = await this.#connection.post(request.body, request.headers);
    return soapReply(reply.status, reply.body);
  }

  close(): void {
    this.#connection.close();
  }
}

export class NtlmEncryptedTransport implements SoapTransport {
  private constructor(
    private readonly connection: KeepAliveConnection,
    private readonly session: TestClientSession,
  ) {}

  /** The empty-body handshake of notes §1.4: NEGOTIATE → 401 + CHALLENGE, AUTHENTICATE → 200. */
  static async connect(port: number, credentials?: NtlmCredentials): Promise<NtlmEncryptedTransport> {
    const connection = new KeepAliveConnection(port);
    try {
      const negotiate = buildNegotiate();
      const first = await connection.post(Buffer.alloc(0), { Authorization: `Negotiate ${negotiate.toString('base64')}` });
      const offer = first.wwwAuthenticate.find((value) => /^Negotiate \S/.test(value));
      if (first.status !== 401 || offer === undefined) throw new Error(`NEGOTIATE leg: HTTP ${first.status}, no CHALLENGE`);
      const challenge = Buffer.from(offer.slice('Negotiate '.length), 'base64');
      const authenticate = clientAuthenticate(negotiate, challenge, credentials);
      const second = await connection.post(Buffer.alloc(0), { Authorization: `Negotiate ${authenticate.message.toString('base64')}` });
      if (second.status !== 200) throw new Error(`AUTHENTICATE leg: HTTP ${second.status}`);
      return new NtlmEncryptedTransport(connection, new TestClientSession(authenticate.exportedSessionKey));
    } catch (error) {
      connection.close();
      throw error;
    }
  }

  exchange(xml: string | Buffer): Promise<SoapReply> {
    return this.send(this.prepare(xml));
  }

  prepare(xml: string | Buffer): PreparedRequest {
    const framed = clientSeal(this.session, utf8(xml));
    return { body: framed.body, headers: { 'Content-Type': framed.contentType } };
  }

  async send(request: PreparedRequest): Promise<SoapReply> {
    const sent = this.connection.post(request.body, request.headers);
    // While the server works on it: the key stream for the next messages (Rc4.prepare), as a
    // client that streams would.
    setImmediate(() => {
      this.session.prepare();
    });
    const reply = await sent;
    const contentType = reply.headers['content-type'] ?? '';
    // Only auth and framing failures come back unsealed; SOAP faults are sealed like any reply.
    if (!contentType.startsWith('multipart/')) throw new Error(`unsealed reply, HTTP ${reply.status}: ${reply.body.toString('utf8').slice(0, 200)}`);
    return soapReply(reply.status, clientOpen(this.session, reply.body, contentType));
  }

  close(): void {
    this.connection.close();
  }
}

export function utf8(xml: string | Buffer): Buffer {
  return typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
}
