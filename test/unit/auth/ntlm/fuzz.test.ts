import { describe, expect, it } from 'vitest';
import { parseAvPairs } from '../../../../auth/ntlm/av-pairs.js';
import { NtlmAcceptor, NtlmMessageError } from '../../../../auth/ntlm/index.js';
import { parseAuthenticateMessage, parseNegotiateMessage } from '../../../../auth/ntlm/messages.js';
import { ntHash } from '../../../../auth/ntlm/nt-hash.js';
import { parseNtlmv2Response } from '../../../../auth/ntlm/ntlmv2-response.js';
import { buildAuthenticate, buildNegotiate } from './ntlm-test-client.js';
import * as spec from './spec-vectors.js';

/** A small seeded PRNG (xorshift32) so that a failure can be replayed from its seed. */
function prng(seed: number): (below: number) => number {
  let state = seed >>> 0 || 1;
  return (below) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % below;
  };
}

const randomBuffer = (next: (below: number) => number, length: number): Buffer => Buffer.from(Array.from({ length }, () => next(256)));

/** Random bytes, random bytes behind a valid header, or a valid message with a few bytes changed or cut. */
function fuzzInputs(seed: number, samples: readonly Buffer[], count: number): Buffer[] {
  const next = prng(seed);
  const inputs: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const sample = samples[next(samples.length)] ?? Buffer.alloc(0);
    const kind = next(3);
    if (kind === 0) inputs.push(randomBuffer(next, next(300)));
    else if (kind === 1) inputs.push(Buffer.concat([sample.subarray(0, 12), randomBuffer(next, next(200))]));
    else {
      const mutated = Buffer.from(sample.subarray(0, next(4) === 0 ? next(sample.length + 1) : sample.length));
      for (let n = next(6) + 1; n > 0 && mutated.length > 0; n--) mutated[next(mutated.length)] = next(256);
      inputs.push(mutated);
    }
  }
  return inputs;
}

/** Calls `parse` and rethrows anything that is not an NtlmMessageError. */
function onlyTypedErrors(parse: (input: Buffer) => unknown, input: Buffer): void {
  try {
    parse(input);
  } catch (error) {
    if (!(error instanceof NtlmMessageError)) throw new Error(`unexpected ${String(error)} for ${input.toString('hex')}`);
  }
}

const negotiate = buildNegotiate();
const authenticate = buildAuthenticate(negotiate, spec.CHALLENGE_MESSAGE, { user: 'alice', domain: 'SRV01', password: 'pw' }).message;
const samples = [negotiate, spec.CHALLENGE_MESSAGE, spec.AUTHENTICATE_MESSAGE, authenticate];

describe('parser fuzzing (random and mutated input)', () => {
  it('NEGOTIATE_MESSAGE parser throws only NtlmMessageError', () => {
    for (const input of fuzzInputs(1, samples, 4000)) onlyTypedErrors(parseNegotiateMessage, input);
  });

  it('AUTHENTICATE_MESSAGE parser throws only NtlmMessageError', () => {
    for (const input of fuzzInputs(2, samples, 4000)) onlyTypedErrors(parseAuthenticateMessage, input);
  });

  it('AV pair and NTLMv2 response parsers throw only NtlmMessageError', () => {
    for (const input of fuzzInputs(3, [spec.TEMP, Buffer.concat([spec.NT_PROOF_STR, spec.TEMP])], 4000)) {
      onlyTypedErrors(parseAvPairs, input);
      onlyTypedErrors(parseNtlmv2Response, input);
    }
  });

  it('the acceptor never throws for client input and never completes on garbage', async () => {
    let completed = 0;
    for (const input of fuzzInputs(4, samples, 500)) {
      const acceptor = new NtlmAcceptor({
        lookupAccount: () => Promise.resolve({ accountName: 'alice', ntHash: ntHash('pw') }),
        names: { netbiosComputer: 'SRV01', netbiosDomain: 'WORKGROUP', dnsComputer: '', dnsDomain: '' },
      });
      const first = await acceptor.step(input);
      if (first.kind === 'continue') {
        const second = await acceptor.step(fuzzInputs(input.length, samples, 1)[0] ?? input);
        if (second.kind === 'complete') completed++;
      }
    }
    expect(completed).toBe(0);
  });
});
