/**
 * Per-message cost of encrypting stdout: one full Receive reply (~110 KB of output as ~147 KB of
 * base64 SOAP, what pywinrm's 150 KiB MaxEnvelopeSize allows) sealed and framed by the server and
 * opened by the client, beside the same reply sent unencrypted. No sockets: this is the CPU work.
 */
import { describe } from 'vitest';
import { encodeSoapReply } from '../server/request-text.js';
import { benchWith } from './support/bench-with.js';
import { clientOpen, serverSeal } from './support/encrypted-messages.js';
import { handshake } from './support/ntlm-fixtures.js';
import { fullReceiveReply } from './support/receive-reply.js';

const reply = fullReceiveReply();
const soapBytes = Buffer.byteLength(reply.xml, 'utf8');
// Separate contexts: the server-only benchmark advances its RC4 stream without a client reading it.
const roundTrip = await handshake();
const serverOnly = await handshake();

const options = { time: 1000, warmupTime: 200 };
const soap = { bytesPerOp: soapBytes, unit: 'SOAP' };

describe(`Receive reply of ${(reply.stdoutBytes / 1000).toFixed(0)} KB stdout (${(soapBytes / 1000).toFixed(0)} KB SOAP): NTLM sealed vs plain`, () => {
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
      serverSeal(serverOnly.acceptor, encodeSoapReply(reply.xml, 'utf-8').body);
    },
    options,
    { baseline: false, ...soap },
  );

  benchWith(
    'NTLM both sides: + unframeEncrypted + client unseal, decode',
    () => {
      const framed = serverSeal(roundTrip.acceptor, encodeSoapReply(reply.xml, 'utf-8').body);
      const text = clientOpen(roundTrip.client, framed.body, framed.contentType).toString('utf8');
      // Cheap proof the round trip is real; a mismatch means the benchmark measures nonsense.
      if (text.length !== reply.xml.length) throw new Error('round trip changed the reply');
    },
    options,
    { baseline: false, ...soap },
  );
});
