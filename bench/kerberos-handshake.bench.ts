/**
 * What accepting one Kerberos AP-REQ costs the server (verify ticket and authenticator, answer with
 * an AP-REP), beside one Basic logon check (scrypt, the baseline) and the NTLM server handshake
 * measured the same way as in ntlm-handshake.bench.ts, so all three logons are in one run.
 * All in-process: no HTTP, no keytab file, no KDC (the unit tests' test KDC issues the ticket).
 */
import { describe } from 'vitest';
import { hashPassword, verifyPassword } from '../auth/password-hash.js';
import { TestInitiator } from '../test/unit/auth/kerberos/test-initiator.js';
import { benchWith } from './support/bench-with.js';
import {
  AES128_SHA256,
  AES256_SHA1,
  ApReqBatch,
  acceptApReq,
  fullReplayCache,
  kerberosService,
  newApReq,
  newKerberosAcceptor,
  replayCache,
} from './support/kerberos-fixtures.js';
import { BENCH_PASSWORD, recordHandshake } from './support/ntlm-fixtures.js';

const passwordHash = await hashPassword(BENCH_PASSWORD);
const recorded = await recordHandshake();

// scrypt takes tens of ms per check; one second still gives a usable sample count.
const timed = { time: 1000, warmupTime: 200 };
// Kerberos rows consume one prebuilt AP-REQ per call, so they run a fixed count (about a second at
// ~2 ms each; time 0 makes tinybench stop at exactly this many) and their batches are sized to match.
const counted = { time: 0, iterations: 500, warmupTime: 0, warmupIterations: 50 };
const batchSize = counted.iterations + counted.warmupIterations;

const aes256 = kerberosService(AES256_SHA1);
const aes128 = kerberosService(AES128_SHA256);
// Each row is its own server: its own replay cache, which its batch never fills (10,000 entries).
const aes256Batch = new ApReqBatch(aes256, batchSize);
const aes256Cache = replayCache();
const aes128Batch = new ApReqBatch(aes128, batchSize);
const aes128Cache = replayCache();

// The cache a sustained logon flood leaves behind: at its bound, so every accept also evicts.
const fullBatch = new ApReqBatch(aes256, batchSize);
const fullCache = fullReplayCache();

const bothSidesCache = replayCache();

describe('Kerberos AP-REQ accept: server cost vs one Basic logon check and the NTLM handshake', () => {
  benchWith(
    'Basic logon: verifyPassword (scrypt N=16384)',
    async () => {
      if (!(await verifyPassword(BENCH_PASSWORD, passwordHash))) throw new Error('password did not verify');
    },
    timed,
    { baseline: true },
  );

  benchWith(
    'NTLM server: NEGOTIATE→CHALLENGE, AUTHENTICATE→complete',
    async () => {
      await recorded.replay();
    },
    timed,
    { baseline: false },
  );

  // A new acceptor per call, as the server makes one per connection; the AP-REQ is GSS-framed.
  benchWith(
    'Kerberos server, aes256-cts-hmac-sha1-96: AP-REQ→AP-REP',
    async () => {
      await acceptApReq(newKerberosAcceptor(aes256, aes256Cache), aes256Batch.take());
    },
    counted,
    { baseline: false },
  );

  benchWith(
    'Kerberos server, aes128-cts-hmac-sha256-128: AP-REQ→AP-REP',
    async () => {
      await acceptApReq(newKerberosAcceptor(aes128, aes128Cache), aes128Batch.take());
    },
    counted,
    { baseline: false },
  );

  benchWith(
    'Kerberos server, aes256, replay cache full (10,000 live entries)',
    async () => {
      await acceptApReq(newKerberosAcceptor(aes256, fullCache), fullBatch.take());
    },
    counted,
    { baseline: false },
  );

  // What the batches cost to make: the client's authenticator and subkey, with the ticket in hand.
  benchWith(
    'Kerberos client, aes256: build AP-REQ (ticket already held)',
    () => {
      newApReq(aes256);
    },
    timed,
    { baseline: false },
  );

  // Should come out near server + client + AP-REP reading; a large gap would mean the split misleads.
  benchWith(
    'Kerberos both sides, aes256: build AP-REQ, accept, read AP-REP',
    async () => {
      const built = newApReq(aes256);
      const apRep = await acceptApReq(newKerberosAcceptor(aes256, bothSidesCache), built.token);
      TestInitiator.fromApRep(apRep, built, aes256.issued);
    },
    counted,
    { baseline: false },
  );
});
