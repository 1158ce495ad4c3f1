/**
 * Per-message cost of encrypting stdout with Kerberos: one full Receive reply (what pywinrm's
 * 150 KiB MaxEnvelopeSize allows, sized as in encrypted-throughput.bench.ts) wrapped in an RFC 4121
 * token and framed by the server, and unwrapped by the client; beside the same reply sent
 * unencrypted (the baseline) and sealed with NTLM, recomputed here so all of them share one run.
 * No sockets: this is the CPU work.
 */
import { describe } from 'vitest';
import { encodeSoapReply } from '../server/request-text.js';
import { benchWith } from './support/bench-with.js';
import { clientOpen, serverSeal } from './support/encrypted-messages.js';
import { AES128_SHA256, AES256_SHA1, establishKerberos } from './support/kerberos-fixtures.js';
import { clientUnwrapKerberos, serverWrapKerberos } from './support/kerberos-messages.js';
import { handshake } from './support/ntlm-fixtures.js';
import { fullReceiveReply } from './support/receive-reply.js';

const reply = fullReceiveReply();
const soapBytes = Buffer.byteLength(reply.xml, 'utf8');
// Separate contexts: a server-only row advances its sequence numbers (and NTLM its RC4 stream)
// without a client reading along, which would break the round-trip rows' strict checks.
const ntlmRoundTrip = await handshake();
const ntlmServerOnly = await handshake();
const krbRoundTrip = await establishKerberos(AES256_SHA1);
const krbServerOnly = await establishKerberos(AES256_SHA1);
const krbSha2ServerOnly = await establishKerberos(AES128_SHA256);

const options = { time: 1000, warmupTime: 200 };
const soap = { bytesPerOp: soapBytes, unit: 'SOAP' };

/** Cheap proof a round trip is real; a mismatch means the benchmark measures nonsense. */
function checkRoundTrip(text: string): void {
  if (text.length !== reply.xml.length) throw new Error('round trip changed the reply');
}

const sizes = `${(reply.stdoutBytes / 1000).toFixed(0)} KB stdout (${(soapBytes / 1000).toFixed(0)} KB SOAP)`;

describe(`Receive reply of ${sizes}: Kerberos wrapped vs plain and NTLM sealed`, () => {
  // What the server sends without encryption: the envelope's UTF-8 bytes; the client decodes them.
  benchWith(
    'plain: encode reply, client decodes',
    () => {
      encodeSoapReply(reply.xml, 'utf-8').body.toString('utf8');
    },
    options,
    { baseline: true, ...soap },
  );

  benchWith(
    'NTLM server only: encode, wrap + frameEncrypted',
    () => {
      serverSeal(ntlmServerOnly.acceptor, encodeSoapReply(reply.xml, 'utf-8').body);
    },
    options,
    { baseline: false, ...soap },
  );

  benchWith(
    'NTLM both sides: + unframeEncrypted + client unseal, decode',
    () => {
      const framed = serverSeal(ntlmRoundTrip.acceptor, encodeSoapReply(reply.xml, 'utf-8').body);
      checkRoundTrip(clientOpen(ntlmRoundTrip.client, framed.body, framed.contentType).toString('utf8'));
    },
    options,
    { baseline: false, ...soap },
  );

  benchWith(
    'Kerberos aes256-sha1 server only: encode, wrap + frameEncrypted',
    () => {
      serverWrapKerberos(krbServerOnly.acceptor, encodeSoapReply(reply.xml, 'utf-8').body);
    },
    options,
    { baseline: false, ...soap },
  );

  benchWith(
    'Kerberos aes256-sha1 both sides: + unframeEncrypted + client unwrap, decode',
    () => {
      const framed = serverWrapKerberos(krbRoundTrip.acceptor, encodeSoapReply(reply.xml, 'utf-8').body);
      checkRoundTrip(clientUnwrapKerberos(krbRoundTrip.initiator, framed.body, framed.contentType).toString('utf8'));
    },
    options,
    { baseline: false, ...soap },
  );

  // RFC 8009's enctype: HMAC-SHA-256 in place of HMAC-SHA1 over the same AES-CTS.
  benchWith(
    'Kerberos aes128-sha256 server only: encode, wrap + frameEncrypted',
    () => {
      serverWrapKerberos(krbSha2ServerOnly.acceptor, encodeSoapReply(reply.xml, 'utf-8').body);
    },
    options,
    { baseline: false, ...soap },
  );
});
