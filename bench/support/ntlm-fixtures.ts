/**
 * NTLM set-ups shared by the benchmarks: an acceptor over an in-memory account (no users.json, so
 * only the protocol work is measured) and the test client from the unit tests as the other side.
 */
import { NtlmAcceptor, ntHash, type NtlmServerNames } from '../../auth/ntlm/index.js';
import {
  TestClientSession,
  buildAuthenticate,
  buildNegotiate,
  type ClientResult,
} from '../../test/unit/auth/ntlm/ntlm-test-client.js';

export const BENCH_USER = 'benchuser';
export const BENCH_PASSWORD = 'Bench-Passw0rd!';
const CLIENT_DOMAIN = 'WORKGROUP';

/** What a standalone host called bench-srv.example.test reports (see defaultNtlmNames). */
const SERVER_NAMES: NtlmServerNames = {
  netbiosComputer: 'BENCH-SRV',
  netbiosDomain: 'BENCH-SRV',
  dnsComputer: 'bench-srv.example.test',
  dnsDomain: 'example.test',
};

const ACCOUNT = { accountName: BENCH_USER, ntHash: ntHash(BENCH_PASSWORD) };

interface AcceptorOverrides {
  readonly randomBytes?: (n: number) => Buffer;
  readonly now?: () => Date;
}

export function newAcceptor(overrides: AcceptorOverrides = {}): NtlmAcceptor {
  return new NtlmAcceptor({
    lookupAccount: (userName) => Promise.resolve(userName.toLowerCase() === BENCH_USER ? ACCOUNT : undefined),
    names: SERVER_NAMES,
    randomBytes: overrides.randomBytes,
    now: overrides.now,
  });
}

export interface NtlmCredentials {
  readonly user: string;
  readonly password: string;
}

/** The client's half: AUTHENTICATE_MESSAGE for a CHALLENGE (readChallenge runs inside buildAuthenticate). */
export function clientAuthenticate(negotiate: Buffer, challenge: Buffer, credentials: NtlmCredentials = { user: BENCH_USER, password: BENCH_PASSWORD }): ClientResult {
  return buildAuthenticate(negotiate, challenge, { user: credentials.user, domain: CLIENT_DOMAIN, password: credentials.password });
}

async function step(acceptor: NtlmAcceptor, token: Buffer, expected: 'continue' | 'complete'): Promise<Buffer | undefined> {
  const result = await acceptor.step(token);
  // A benchmark that quietly measured the refusal path would report a meaningless number.
  if (result.kind !== expected) throw new Error(`NTLM step gave ${result.kind}, expected ${expected}${result.kind === 'failed' ? `: ${result.reason}` : ''}`);
  return result.token;
}

/** The full exchange with a fresh random challenge; both sides end up with session keys. */
export async function handshake(): Promise<{ acceptor: NtlmAcceptor; client: TestClientSession }> {
  const acceptor = newAcceptor();
  const negotiate = buildNegotiate();
  const challenge = await step(acceptor, negotiate, 'continue');
  if (challenge === undefined) throw new Error('NTLM CHALLENGE without a token');
  const authenticate = clientAuthenticate(negotiate, challenge);
  await step(acceptor, authenticate.message, 'complete');
  return { acceptor, client: new TestClientSession(authenticate.exportedSessionKey) };
}

/**
 * One client NEGOTIATE and AUTHENTICATE recorded against an acceptor whose challenge and clock are
 * fixed, so every fresh acceptor made by `newFixedAcceptor` sends the same CHALLENGE byte for byte
 * and accepts the same AUTHENTICATE (its MIC covers the CHALLENGE). That lets a benchmark time the
 * server's two steps without the client's work in the loop.
 */
export interface RecordedHandshake {
  readonly negotiate: Buffer;
  readonly challenge: Buffer;
  readonly authenticate: Buffer;
  /** The server's two steps on a fresh acceptor; throws unless the context completes. */
  replay(): Promise<void>;
}

export async function recordHandshake(): Promise<RecordedHandshake> {
  const serverChallenge = Buffer.from('0123456789abcdef', 'hex');
  const clock = new Date();
  const newFixedAcceptor = (): NtlmAcceptor => newAcceptor({ randomBytes: () => Buffer.from(serverChallenge), now: () => clock });
  const negotiate = buildNegotiate();
  const challenge = await step(newFixedAcceptor(), negotiate, 'continue');
  if (challenge === undefined) throw new Error('NTLM CHALLENGE without a token');
  const authenticate = clientAuthenticate(negotiate, challenge).message;
  const replay = async (): Promise<void> => {
    const acceptor = newFixedAcceptor();
    await step(acceptor, negotiate, 'continue');
    await step(acceptor, authenticate, 'complete');
  };
  await replay(); // proves the recording is accepted before anything is timed
  return { negotiate, challenge, authenticate, replay };
}
