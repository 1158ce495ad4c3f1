/**
 * What one NTLM logon costs the server, beside what one Basic logon check costs it (scrypt, the
 * baseline) and beside the client's own work, so the server's share of a handshake is visible.
 * All in-process: no HTTP, no users.json.
 */
import { describe } from 'vitest';
import { hashPassword, verifyPassword } from '../auth/password-hash.js';
import { TestClientSession, buildNegotiate } from '../test/unit/auth/ntlm/ntlm-test-client.js';
import { benchWith } from './support/bench-with.js';
import { BENCH_PASSWORD, clientAuthenticate, handshake, recordHandshake } from './support/ntlm-fixtures.js';

const passwordHash = await hashPassword(BENCH_PASSWORD);
const recorded = await recordHandshake();

// scrypt takes tens of ms per check; one second still gives a usable sample count.
const options = { time: 1000, warmupTime: 200 };

describe('NTLM handshake: server cost vs one Basic logon check', () => {
  benchWith(
    'Basic logon: verifyPassword (scrypt N=16384)',
    async () => {
      if (!(await verifyPassword(BENCH_PASSWORD, passwordHash))) throw new Error('password did not verify');
    },
    options,
    { baseline: true },
  );

  // The client's messages are recorded once (fixed challenge and clock), so only acceptor work is timed.
  benchWith(
    'NTLM server: NEGOTIATE→CHALLENGE, AUTHENTICATE→complete',
    async () => {
      await recorded.replay();
    },
    options,
    { baseline: false },
  );

  benchWith(
    'NTLM client: NEGOTIATE + AUTHENTICATE + session keys',
    () => {
      const negotiate = buildNegotiate();
      const authenticate = clientAuthenticate(negotiate, recorded.challenge);
      new TestClientSession(authenticate.exportedSessionKey);
    },
    options,
    { baseline: false },
  );

  // Should come out near server + client; a large gap would mean the split above misleads.
  benchWith(
    'NTLM both sides: full handshake, fresh challenge',
    async () => {
      await handshake();
    },
    options,
    { baseline: false },
  );
});
