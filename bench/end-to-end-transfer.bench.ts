/**
 * 20 MB of stdout through the real endpoint over loopback HTTP: NTLM with every message sealed
 * (multipart/encrypted, as pywinrm sends it) against Basic with plaintext SOAP on the same server.
 * Client and server share this process and its event loop, so each figure includes the client's
 * work (sealing requests, unsealing replies, reading the XML); the two differ only in encryption.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { benchWith } from './support/bench-with.js';
import { startTransferEnv, transfer, type ShellClient, type TransferEnv } from './support/transfer-env.js';

const STDOUT_BYTES = 20_000_000;
const COMMAND = `head -c ${STDOUT_BYTES} /dev/zero`;

let env: TransferEnv | undefined;
beforeAll(async () => {
  env = await startTransferEnv();
});
afterAll(async () => {
  await env?.close();
});

function client(pick: (env: TransferEnv) => ShellClient): ShellClient {
  if (env === undefined) throw new Error('the endpoint did not start');
  return pick(env);
}

// A transfer takes seconds: one warm-up and seven timed runs keep the whole file near 20 s.
const options = { time: 0, iterations: 7, warmupTime: 0, warmupIterations: 1 };
const stdout = { bytesPerOp: STDOUT_BYTES, unit: 'stdout' };

describe(`End to end: ${STDOUT_BYTES / 1e6} MB stdout over HTTP, Receive with pywinrm's MaxEnvelopeSize`, () => {
  benchWith(
    'Basic, AllowUnencrypted: plaintext SOAP',
    async () => {
      await transfer(client((e) => e.basic), COMMAND, STDOUT_BYTES);
    },
    options,
    { baseline: true, ...stdout },
  );

  benchWith(
    'NTLM: multipart/encrypted both ways',
    async () => {
      await transfer(client((e) => e.ntlm), COMMAND, STDOUT_BYTES);
    },
    options,
    { baseline: false, ...stdout },
  );
});
