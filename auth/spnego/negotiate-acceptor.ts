import {
  MessageSecurityError,
  type AuthenticatedIdentity,
  type SecurityContext,
  type StepResult,
  type WrappedMessage,
} from '../security-context.js';
import { isMicCapable } from './mic-capable.js';
import { NegState, SpnegoTokenError, buildNegTokenResp, parseNegotiationToken, type NegTokenInit, type NegTokenResp } from './neg-token.js';
import { mechanismForOid, type SpnegoMechanism } from './oids.js';

/** Creates a fresh acceptor for an inner mechanism, or undefined when it is not available here. */
export type MechanismFactory = (mech: SpnegoMechanism) => SecurityContext | undefined;

type Phase = 'start' | 'negotiating' | 'awaiting-mic' | 'complete' | 'failed';

interface Chosen {
  readonly mech: SpnegoMechanism;
  /** The OID as the client listed it (MS-KRB5 and KRB5 both mean Kerberos); echoed in supportedMech. */
  readonly oid: string;
  readonly context: SecurityContext;
}

/**
 * SPNEGO acceptor [RFC 4178 §3.2, MS-SPNG 3.2.5] around one inner mechanism (notes §4.3). It picks
 * the first mechanism in the client's list that the factory provides, relays the inner tokens in
 * NegTokenResp, and protects the negotiation with the mechListMIC exchange of RFC 4178 §5.
 * Garbage in gives `failed`, never a throw.
 */
export class SpnegoAcceptor implements SecurityContext {
  private phase: Phase = 'start';
  private chosen: Chosen | undefined;
  private mechTypesDer: Buffer = Buffer.alloc(0);
  /** RFC 4178 §5: required unless the chosen mechanism is the client's first choice. */
  private micRequired = false;
  private supportedMechSent = false;
  private identity: AuthenticatedIdentity | undefined;

  constructor(private readonly factory: MechanismFactory) {}

  /** The negotiated inner mechanism, once chosen. */
  get mechanism(): SpnegoMechanism | undefined {
    return this.chosen?.mech;
  }

  async step(token: Buffer): Promise<StepResult> {
    if (this.phase === 'complete' || this.phase === 'failed') return this.fail('SPNEGO context already finished');
    try {
      const parsed = parseNegotiationToken(token);
      if (this.phase === 'start') {
        return parsed.kind === 'init' ? await this.start(parsed) : this.fail('expected a NegTokenInit');
      }
      return parsed.kind === 'resp' ? await this.next(parsed) : this.fail('expected a NegTokenResp');
    } catch (error) {
      if (error instanceof SpnegoTokenError) return this.fail(`bad SPNEGO token: ${error.message}`);
      // An inner mechanism should report failure, not throw; contain it all the same.
      return this.fail('inner mechanism error');
    }
  }

  wrap(plaintext: Buffer): WrappedMessage {
    return this.established().wrap(plaintext);
  }

  unwrap(message: WrappedMessage, allocate?: (size: number) => Buffer): Buffer {
    return this.established().unwrap(message, allocate);
  }

  prepare(): void {
    if (this.phase === 'complete') this.chosen?.context.prepare?.();
  }

  private start(init: NegTokenInit): Promise<StepResult> | StepResult {
    const picked = this.pick(init.mechTypes);
    if (picked === undefined) return this.fail('no mechanism in common with the client');
    this.chosen = picked.chosen;
    this.mechTypesDer = init.mechTypesDer;
    this.micRequired = picked.index !== 0;
    this.phase = 'negotiating';
    // The optimistic token is for the client's first mechanism; use it only if that is our pick.
    if (picked.index === 0 && init.mechToken !== undefined) return this.runInner(init.mechToken, init.mechListMIC);
    // Otherwise ask the client to start over in our mechanism [RFC 4178 §3.2 (d)]; request-mic as
    // Windows and MIT do when it is not the client's preferred one.
    return { kind: 'continue', token: this.resp(this.micRequired ? NegState.requestMic : NegState.acceptIncomplete) };
  }

  private next(resp: NegTokenResp): Promise<StepResult> | StepResult {
    if (resp.negState === NegState.reject) return this.fail('client rejected the negotiation');
    // Some old initiators copy responseToken into mechListMIC (pyspnego / smbprotocol#137): ignore that.
    const copied = resp.mechListMIC !== undefined && resp.responseToken !== undefined && resp.responseToken.equals(resp.mechListMIC);
    const mic = copied ? undefined : resp.mechListMIC;
    if (this.phase === 'awaiting-mic') {
      if (mic === undefined) return this.fail('client did not send the required mechListMIC');
      if (!this.verifyClientMic(mic)) return this.fail('mechListMIC verification failed');
      return this.complete(this.resp(NegState.acceptCompleted));
    }
    if (resp.responseToken === undefined) return this.fail('NegTokenResp without responseToken');
    return this.runInner(resp.responseToken, mic);
  }

  private async runInner(token: Buffer, clientMic: Buffer | undefined): Promise<StepResult> {
    const chosen = this.chosenOrThrow();
    const result = await chosen.context.step(token);
    if (result.kind === 'failed') return this.fail(`${chosen.mech}: ${result.reason}`);
    if (result.kind === 'continue') return { kind: 'continue', token: this.resp(NegState.acceptIncomplete, result.token) };
    this.identity = result.identity;
    if (clientMic !== undefined) {
      if (!this.verifyClientMic(clientMic)) return this.fail('mechListMIC verification failed');
      const ours = this.signOurMic();
      return ours === undefined ? this.fail('mechanism cannot sign the mechListMIC') : this.complete(this.resp(NegState.acceptCompleted, result.token, ours));
    }
    if (!this.micRequired) return this.complete(this.resp(NegState.acceptCompleted, result.token));
    // Inner context done but the negotiation is not yet protected: send ours, wait for theirs [RFC 4178 §5].
    const ours = this.signOurMic();
    if (ours === undefined) return this.fail('mechanism cannot sign the mechListMIC');
    this.phase = 'awaiting-mic';
    return { kind: 'continue', token: this.resp(NegState.acceptIncomplete, result.token, ours) };
  }

  /** The first client mechanism the factory can provide, with its position in the client's list. */
  private pick(mechTypes: readonly string[]): { chosen: Chosen; index: number } | undefined {
    const tried = new Set<SpnegoMechanism>();
    for (const [index, oid] of mechTypes.entries()) {
      const mech = mechanismForOid(oid);
      if (mech === undefined || tried.has(mech)) continue;
      tried.add(mech);
      const context = this.factory(mech);
      if (context !== undefined) return { chosen: { mech, oid, context }, index };
    }
    return undefined;
  }

  private verifyClientMic(mic: Buffer): boolean {
    const context = this.chosenOrThrow().context;
    return isMicCapable(context) && context.verifyMic(this.mechTypesDer, mic);
  }

  private signOurMic(): Buffer | undefined {
    const context = this.chosenOrThrow().context;
    return isMicCapable(context) ? context.signMic(this.mechTypesDer) : undefined;
  }

  /** supportedMech goes only into the first reply [RFC 4178 §4.2.2]. */
  private resp(negState: NegState, responseToken?: Buffer, mechListMIC?: Buffer): Buffer {
    const supportedMech = this.supportedMechSent ? undefined : this.chosen?.oid;
    this.supportedMechSent = true;
    return buildNegTokenResp({ negState, supportedMech, responseToken, mechListMIC });
  }

  private complete(token: Buffer): StepResult {
    const identity = this.identity;
    if (identity === undefined) return this.fail('inner mechanism completed without an identity');
    this.phase = 'complete';
    return { kind: 'complete', token, identity };
  }

  private fail(reason: string): StepResult {
    this.phase = 'failed';
    return { kind: 'failed', reason };
  }

  private chosenOrThrow(): Chosen {
    if (this.chosen === undefined) throw new SpnegoTokenError('no mechanism chosen yet');
    return this.chosen;
  }

  private established(): SecurityContext {
    if (this.phase !== 'complete' || this.chosen === undefined) throw new MessageSecurityError('SPNEGO context is not established');
    return this.chosen.context;
  }
}
