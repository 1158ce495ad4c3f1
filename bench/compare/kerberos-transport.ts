/**
 * Kerberos with message encryption over HTTP, as pywinrm's `kerberos` transport does it: one AP-REQ
 * under `Authorization: Kerberos` on an empty body, the AP-REP back on the 200, then every body
 * wrapped (RFC 4121) in multipart/encrypted. The ticket is a real one from the throw-away MIT KDC,
 * read out of the cache kinit and kvno filled; the client's wrap and unwrap are the unit tests'
 * initiator, written apart from the server's code.
 */
import { ENCRYPTION_PROTOCOL, frameEncrypted } from '../../protocol/encryption/multipart-encrypted.js';
import type { CcacheCredential } from '../../test/support/krb5-ccache.js';
import { buildApReq, readApRep } from '../../test/support/krb5-apreq.js';
import { TestInitiator } from '../../test/unit/auth/kerberos/test-initiator.js';
import { SOAP_CONTENT_TYPE } from '../support/encrypted-messages.js';
import { KeepAliveConnection } from '../support/http-connection.js';
import { clientUnwrapKerberos } from '../support/kerberos-messages.js';
import { soapReply, utf8, type PreparedRequest, type SoapReply, type SoapTransport } from '../support/soap-transports.js';

function tokenAfter(values: readonly string[], scheme: string): Buffer | undefined {
  for (const value of values) {
    const [name, token] = value.trim().split(/\s+/, 2);
    if (name?.toLowerCase() === scheme.toLowerCase() && token !== undefined) return Buffer.from(token, 'base64');
  }
  return undefined;
}

export class KerberosWrappedTransport implements SoapTransport {
  private constructor(
    private readonly connection: KeepAliveConnection,
    private readonly initiator: TestInitiator,
  ) {}

  static async connect(port: number, credential: CcacheCredential): Promise<KerberosWrappedTransport> {
    const connection = new KeepAliveConnection(port);
    try {
      const built = buildApReq(credential);
      const reply = await connection.post(Buffer.alloc(0), { Authorization: `Kerberos ${built.token.toString('base64')}` });
      if (reply.status !== 200) throw new Error(`Kerberos AP-REQ: HTTP ${reply.status}: ${reply.body.toString('utf8').slice(0, 200)}`);
      const apRepToken = tokenAfter(reply.wwwAuthenticate, 'Kerberos');
      if (apRepToken === undefined) throw new Error('no AP-REP in WWW-Authenticate');
      const apRep = readApRep(apRepToken, credential);
      if (apRep.subkey === undefined || apRep.subkeyType === undefined || apRep.seqNumber === undefined) {
        throw new Error('the AP-REP has no acceptor subkey or sequence number');
      }
      const initiator = new TestInitiator({ etype: apRep.subkeyType, key: apRep.subkey }, true, built.seqNumber, apRep.seqNumber);
      return new KerberosWrappedTransport(connection, initiator);
    } catch (error) {
      connection.close();
      throw error;
    }
  }

  exchange(xml: string | Buffer): Promise<SoapReply> {
    return this.send(this.prepare(xml));
  }

  prepare(xml: string | Buffer): PreparedRequest {
    const soap = utf8(xml);
    const framed = frameEncrypted([
      { protocol: ENCRYPTION_PROTOCOL.kerberos, originalContentType: SOAP_CONTENT_TYPE, originalLength: soap.length, ...this.initiator.wrap(soap) },
    ]);
    return { body: framed.body, headers: { 'Content-Type': framed.contentType } };
  }

  async send(request: PreparedRequest): Promise<SoapReply> {
    const reply = await this.connection.post(request.body, request.headers);
    const contentType = reply.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/')) throw new Error(`unwrapped reply, HTTP ${reply.status}: ${reply.body.toString('utf8').slice(0, 200)}`);
    return soapReply(reply.status, clientUnwrapKerberos(this.initiator, reply.body, contentType));
  }

  close(): void {
    this.connection.close();
  }
}
