import { describe, expect, it } from 'vitest';
import { MessageSecurityError, type SecurityContext, type StepResult, type WrappedMessage } from '../../../../auth/security-context.js';
import { withSpnegoMic, type ResettableGssMic } from '../../../../auth/spnego/gss-mic-adapter.js';
import { isMicCapable } from '../../../../auth/spnego/mic-capable.js';
import { IDENTITY } from './fake-mechanism.js';

/** Records the GSS-style calls, with a sequence counter per direction like an NTLM context. */
class GssStyleContext implements SecurityContext, ResettableGssMic {
  readonly log: string[] = [];
  private sendSeq = 0;
  private receiveSeq = 0;

  step(): Promise<StepResult> {
    return Promise.resolve({ kind: 'complete', token: undefined, identity: IDENTITY });
  }

  wrap(plaintext: Buffer): WrappedMessage {
    this.log.push(`wrap seq ${this.sendSeq++}`);
    return { header: Buffer.alloc(16), data: plaintext };
  }

  unwrap(message: WrappedMessage): Buffer {
    this.log.push(`unwrap seq ${this.receiveSeq++}`);
    return message.data;
  }

  sign(message: Buffer): Buffer {
    this.log.push(`sign seq ${this.sendSeq++}`);
    return Buffer.concat([Buffer.from('mic:'), message]);
  }

  verify(message: Buffer, signature: Buffer): void {
    this.log.push(`verify seq ${this.receiveSeq++}`);
    if (!signature.equals(Buffer.concat([Buffer.from('cli:'), message]))) throw new MessageSecurityError('bad MIC');
  }

  resetCipher(direction: 'send' | 'receive'): void {
    this.log.push(`reset ${direction}`);
  }
}

describe('withSpnegoMic', () => {
  it('signs then restarts the send stream, verifies then restarts the receive stream', async () => {
    const inner = new GssStyleContext();
    const context = withSpnegoMic(inner);
    expect(isMicCapable(context)).toBe(true);
    expect(isMicCapable(inner)).toBe(false);
    const list = Buffer.from('300c060a2b06010401823702020a', 'hex');

    expect((await context.step(Buffer.alloc(0))).kind).toBe('complete');
    expect(context.verifyMic(list, Buffer.concat([Buffer.from('cli:'), list]))).toBe(true);
    expect(context.signMic(list).equals(Buffer.concat([Buffer.from('mic:'), list]))).toBe(true);
    context.unwrap(context.wrap(Buffer.from('soap')));
    expect(inner.log).toEqual(['verify seq 0', 'reset receive', 'sign seq 0', 'reset send', 'wrap seq 1', 'unwrap seq 1']);
  });

  it('reports a bad MIC as false and does not reset', () => {
    const inner = new GssStyleContext();
    expect(withSpnegoMic(inner).verifyMic(Buffer.from('x'), Buffer.from('nope'))).toBe(false);
    expect(inner.log).toEqual(['verify seq 0']);
  });
});
