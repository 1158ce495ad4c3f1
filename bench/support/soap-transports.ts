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

export interface SoapTransport {
  /** Sends an envelope, as text or already as its UTF-8 bytes. */
  exchange(xml: string | Buffer): Promise<SoapReply>;
  close(): void;
}

export class BasicTransport implements SoapTransport {
  readonly #connection: KeepAliveConnection;
  readonly #authorization: string;

  constructor(port: number, user: string, password: string, options: ConnectionOptions = {}) {
    this.#connection = new KeepAliveConnection(port, options);
    this.#authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }

  async exchange(xml: string | Buffer): Promise<SoapReply> {
    const reply = await this.#connection.post(utf8(xml), {
      Authorization: this.#authorization,
      'Content-Type': SOAP_CONTENT_TYPE,
    });
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

  async exchange(xml: string | Buffer): Promise<SoapReply> {
    const framed = clientSeal(this.session, utf8(xml));
    const sent = this.connection.post(framed.body, { 'Content-Type': framed.contentType });
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
