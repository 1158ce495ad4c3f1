/**
 * A deterministic stand-in for an inner mechanism acceptor: NTLM-shaped message flow (NEGOTIATE →
 * CHALLENGE, AUTHENTICATE → complete), MICs from fixed values or HMAC-SHA256, and a log of every
 * call so tests can check what SPNEGO asked of it and in which order.
 */
import { createHmac } from 'node:crypto';
import type { MicCapable } from '../../../../auth/spnego/mic-capable.js';
import {
  MessageSecurityError,
  type AuthenticatedIdentity,
  type SecurityContext,
  type StepResult,
  type WrappedMessage,
} from '../../../../auth/security-context.js';

export const IDENTITY: AuthenticatedIdentity = { accountName: 'vagrant', clientUserName: 'vagrant', clientDomain: 'DOMAIN', mechanism: 'NTLM' };

/** What a test MIC over `data` is for one side. */
export function testMic(side: 'client' | 'server', data: Buffer): Buffer {
  return createHmac('sha256', side).update(data).digest().subarray(0, 16);
}

export interface FakeOptions {
  /** Returned for a NEGOTIATE (message type 1). */
  readonly challenge?: Buffer;
  /** Returned (as the completing token) for an AUTHENTICATE (message type 3). */
  readonly finalToken?: Buffer;
  /** The client MIC that verifies; default testMic('client', data). */
  readonly clientMic?: Buffer;
  /** What signMic returns; default testMic('server', data). */
  readonly serverMic?: Buffer;
  /** Complete on the first token (Kerberos-like), whatever it is. */
  readonly oneLeg?: boolean;
}

export class FakeMechanism implements SecurityContext, MicCapable {
  readonly calls: string[] = [];
  readonly micData: Buffer[] = [];
  private complete = false;

  constructor(private readonly options: FakeOptions = {}) {}

  step(token: Buffer): Promise<StepResult> {
    this.calls.push(`step:${token.toString('hex').slice(0, 24)}`);
    if (this.options.oneLeg === true) return Promise.resolve(this.finish());
    const type = token.subarray(0, 8).toString('latin1') === 'NTLMSSP\0' ? token.readUInt32LE(8) : 0;
    if (type === 1 && !this.complete) return Promise.resolve({ kind: 'continue', token: this.options.challenge ?? Buffer.from('challenge') });
    if (type === 3 && !this.complete) return Promise.resolve(this.finish());
    return Promise.resolve({ kind: 'failed', reason: 'not an NTLM message' });
  }

  signMic(data: Buffer): Buffer {
    this.calls.push('signMic');
    this.micData.push(data);
    return this.options.serverMic ?? testMic('server', data);
  }

  verifyMic(data: Buffer, mic: Buffer): boolean {
    this.calls.push('verifyMic');
    this.micData.push(data);
    return mic.equals(this.options.clientMic ?? testMic('client', data));
  }

  wrap(plaintext: Buffer): WrappedMessage {
    this.calls.push('wrap');
    return { header: Buffer.from('hdr'), data: Buffer.from(plaintext.map((b) => b ^ 0xff)) };
  }

  unwrap(message: WrappedMessage): Buffer {
    this.calls.push('unwrap');
    if (!message.header.equals(Buffer.from('hdr'))) throw new MessageSecurityError('bad header');
    return Buffer.from(message.data.map((b) => b ^ 0xff));
  }

  private finish(): StepResult {
    this.complete = true;
    return { kind: 'complete', token: this.options.finalToken, identity: IDENTITY };
  }
}

/** An inner mechanism that cannot compute MICs. */
export class MicLessMechanism implements SecurityContext {
  step(): Promise<StepResult> {
    return Promise.resolve({ kind: 'complete', token: undefined, identity: IDENTITY });
  }

  wrap(plaintext: Buffer): WrappedMessage {
    return { header: Buffer.alloc(0), data: plaintext };
  }

  unwrap(message: WrappedMessage): Buffer {
    return message.data;
  }
}
