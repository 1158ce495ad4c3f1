import { setTimeout as sleep } from 'node:timers/promises';
import { decodeStrictBase64 } from '../auth/base64.js';
import { localAccountName, parseBasicCredentials } from '../auth/basic.js';
import { mayUseRemoteManagement } from '../auth/authorize.js';
import { CONFIG_KEYS } from '../config/keys.js';
import type { SecurityContext } from '../auth/security-context.js';
import type { UserRecord, UserStore } from '../users/index.js';
import type { ConnectionSecurity, ContextScheme } from './connection-security.js';
import type { Logger } from './logger.js';
import type { LoginThrottle } from './login-throttle.js';
import type { Principal } from './principal.js';
import { NO_OBSERVER, type AuthMechanism, type LogonFailure, type ServiceObserver } from '../events/signals.js';
import { failureOf, peerOf, splitAccount } from './auth-signals.js';

export interface AuthGateSettings {
  readonly basicEnabled: boolean;
  readonly negotiateEnabled: boolean;
  /** A keytab gave us keys and Service.Auth.Kerberos is on: the Kerberos scheme is offered too. */
  readonly kerberosEnabled: boolean;
  readonly allowUnencrypted: boolean;
  /** Service.RootSDDL, read at each decision (a Put may change it); Windows' default when absent. */
  readonly rootSddl?: string | undefined;
}

/** Makes the acceptor for the first token of a Negotiate/NTLM handshake; undefined if unsupported. */
export type ContextFactory = (firstToken: Buffer, isTls: boolean) => SecurityContext | undefined;

export interface AuthAttempt {
  readonly authorization: string | undefined;
  /** `WSMANIDENTIFY: unauthenticated` lets an Identify through without credentials. */
  readonly identifyHeader: string | undefined;
  readonly isTls: boolean;
  readonly remoteAddress: string;
  readonly connection: ConnectionSecurity;
  /** For the security events: the client's port and our id of its connection. */
  readonly remotePort?: number | undefined;
  readonly connectionId?: string | undefined;
}

export type AuthDecision =
  | {
      readonly kind: 'allow';
      readonly principal: Principal;
      /** The connection's context, for message encryption; undefined for Basic. */
      readonly security: SecurityContext | undefined;
      /** A final token for WWW-Authenticate on this reply (SPNEGO's accept-completed). */
      readonly replyAuthenticate: string | undefined;
      /** This request carried a handshake token: an empty body is a handshake leg, answered 200. */
      readonly isHandshakeLeg: boolean;
    }
  | { readonly kind: 'anonymous-identify' }
  | { readonly kind: 'deny'; readonly wwwAuthenticate: readonly string[]; readonly reason: string };

/** A user's groups as authorization sees them. */
export type GroupSource = (user: UserRecord) => Promise<readonly string[]>;

function storeGroups(user: UserRecord): Promise<readonly string[]> {
  return Promise.resolve(user.groups);
}

/**
 * Decides who a request comes from and whether they may use WinRM at all. Every refusal is a 401
 * with the schemes on offer, as Windows sends it: the client learns nothing about whether the
 * account exists, the password was wrong, or the account lacks the group.
 */
export class AuthGate {
  constructor(
    private readonly settings: AuthGateSettings,
    private readonly users: UserStore,
    private readonly throttle: LoginThrottle,
    private readonly newContext: ContextFactory,
    private readonly log: Logger,
    private readonly observer: ServiceObserver = NO_OBSERVER,
    /** The groups authorization sees; Linux groups may add to the store's (server/linux-group-source.ts). */
    private readonly groupsOf: GroupSource = storeGroups,
  ) {}

  /** When each handshake's first token arrived, for the handshake latency the observer gets. */
  private readonly handshakeStarts = new WeakMap<SecurityContext, number>();

  /** The WWW-Authenticate values of a 401: one per enabled scheme. */
  challenges(): string[] {
    return [
      ...(this.settings.negotiateEnabled ? ['Negotiate'] : []),
      ...(this.settings.kerberosEnabled ? ['Kerberos'] : []),
      ...(this.settings.basicEnabled ? ['Basic realm="WSMAN"'] : []),
    ];
  }

  async authenticate(attempt: AuthAttempt): Promise<AuthDecision> {
    const header = attempt.authorization?.trim();
    if (header === undefined || header === '') return this.withoutCredentials(attempt);
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const token = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'basic' && this.settings.basicEnabled) return this.basic(token, attempt);
    if ((scheme === 'negotiate' || scheme === 'ntlm') && this.settings.negotiateEnabled) {
      return this.handshake(scheme === 'ntlm' ? 'NTLM' : 'Negotiate', token, attempt);
    }
    if (scheme === 'kerberos' && this.settings.kerberosEnabled) return this.handshake('Kerberos', token, attempt);
    return this.deny(`scheme ${scheme} not enabled`);
  }

  /** A connection that completed a handshake stays authenticated, as with HTTP.sys. */
  private withoutCredentials(attempt: AuthAttempt): AuthDecision {
    const established = attempt.connection.established;
    if (established !== undefined) {
      // A connection keeps its logon, but a RootSDDL changed since then applies to its next request.
      const { name, groups } = established.principal;
      if (!this.mayConnect(name, groups)) return this.deny('no longer admitted by Service.RootSDDL');
      return { kind: 'allow', principal: established.principal, security: established.context, replyAuthenticate: undefined, isHandshakeLeg: false };
    }
    if (attempt.identifyHeader?.trim().toLowerCase() === 'unauthenticated') return { kind: 'anonymous-identify' };
    return this.deny('no credentials');
  }

  private async basic(token: string, attempt: AuthAttempt): Promise<AuthDecision> {
    // Basic sends the password in the clear: Windows refuses it on HTTP unless AllowUnencrypted.
    if (!attempt.isTls && !this.settings.allowUnencrypted) return this.deny('Basic over HTTP while AllowUnencrypted is false');
    const credentials = parseBasicCredentials(token);
    if (credentials === undefined) return this.deny('malformed Basic credentials');
    const userName = localAccountName(credentials.userName);
    await this.holdIfGuessing(attempt.remoteAddress);
    const startedMs = Date.now();
    const user = await this.users.verify(userName, credentials.password);
    if (user === undefined) {
      // Asked only after the (equally slow) check failed, so the reply's timing still tells nothing.
      const failure = (await this.users.find(userName)) === undefined ? 'unknown-user' : 'wrong-password';
      return this.logonFailed(userName, 'Basic', attempt, 'wrong user name or password', 'Basic', startedMs, failure);
    }
    this.throttle.recordSuccess(attempt.remoteAddress);
    const principal = this.authorize(user.name, await this.groupsOf(user), 'Basic', attempt, 'Basic', '');
    if (principal === undefined) return this.deny('not admitted by Service.RootSDDL');
    const handshakeMs = Date.now() - startedMs;
    this.observer.notify({ kind: 'logon-succeeded', peer: peerOf(attempt), user: user.name, clientDomain: '', scheme: 'Basic', mechanism: 'Basic', handshakeMs });
    return { kind: 'allow', principal, security: undefined, replyAuthenticate: undefined, isHandshakeLeg: false };
  }

  private async handshake(scheme: ContextScheme, token: string, attempt: AuthAttempt): Promise<AuthDecision> {
    const connection = attempt.connection;
    const bytes = decodeStrictBase64(token) ?? Buffer.alloc(0);
    if (bytes.length === 0) {
      connection.reset();
      return this.deny(`empty or malformed ${scheme} token`);
    }
    // A token on an authenticated connection starts over (notes 1.3); so does one for another scheme.
    if (connection.handshake === undefined || connection.handshake.scheme !== scheme) {
      connection.reset();
      const context = this.newContext(bytes, attempt.isTls);
      if (context === undefined) return this.deny(`unsupported ${scheme} token`);
      connection.handshake = { scheme, context };
      this.handshakeStarts.set(context, Date.now());
    }
    const { context } = connection.handshake;
    const result = await context.step(bytes);
    if (result.kind === 'continue') return this.deny('handshake continues', [`${scheme} ${result.token.toString('base64')}`]);
    connection.reset();
    const startedMs = this.handshakeStarts.get(context) ?? Date.now();
    // Under Negotiate the mechanism is known only once the handshake completes.
    const claimed = scheme === 'Negotiate' ? undefined : scheme;
    if (result.kind === 'failed') return this.logonFailed(result.clientUserName ?? '(unknown)', scheme, attempt, result.reason, claimed, startedMs);

    const { identity } = result;
    const user = await this.users.find(identity.accountName);
    if (user === undefined) return this.logonFailed(identity.clientUserName, scheme, attempt, 'account vanished', identity.mechanism, startedMs);
    this.throttle.recordSuccess(attempt.remoteAddress);
    const principal = this.authorize(user.name, await this.groupsOf(user), scheme, attempt, identity.mechanism, identity.clientDomain);
    if (principal === undefined) return this.deny('not admitted by Service.RootSDDL');
    connection.established = { scheme, context, principal };
    const handshakeMs = Date.now() - startedMs;
    this.observer.notify({ kind: 'logon-succeeded', peer: peerOf(attempt), user: user.name, clientDomain: identity.clientDomain, scheme, mechanism: identity.mechanism, handshakeMs });
    const replyAuthenticate = result.token === undefined ? undefined : `${scheme} ${result.token.toString('base64')}`;
    return { kind: 'allow', principal, security: context, replyAuthenticate, isHandshakeLeg: true };
  }

  private authorize(
    name: string,
    groups: readonly string[],
    scheme: Principal['authScheme'],
    attempt: AuthAttempt,
    mechanism: AuthMechanism,
    clientDomain: string,
  ): Principal | undefined {
    if (this.mayConnect(name, groups)) return { name, groups, authScheme: scheme };
    this.observer.notify({ kind: 'access-denied', peer: peerOf(attempt), user: name, clientDomain, scheme, mechanism });
    this.log.warn({ event: 'access-denied', user: name, remoteAddress: attempt.remoteAddress, scheme }, 'refused: Service.RootSDDL does not admit the user');
    return undefined;
  }

  private mayConnect(name: string, groups: readonly string[]): boolean {
    return mayUseRemoteManagement(this.settings.rootSddl ?? CONFIG_KEYS['Service.RootSDDL'].default, name, groups);
  }

  /** Repeated failures from one address wait before their next check (LoginThrottle). */
  private async holdIfGuessing(address: string): Promise<void> {
    const delayMs = this.throttle.delayFor(address);
    if (delayMs > 0) await sleep(delayMs);
  }

  private async logonFailed(
    user: string,
    scheme: Principal['authScheme'],
    attempt: AuthAttempt,
    detail: string,
    mechanism: AuthMechanism | undefined,
    startedMs: number,
    failure: LogonFailure = failureOf(detail),
  ): Promise<AuthDecision> {
    const address = attempt.remoteAddress;
    this.throttle.recordFailure(address);
    this.log.warn({ event: 'logon-failed', user, remoteAddress: address, scheme, detail }, 'authentication failed');
    const account = splitAccount(user);
    const handshakeMs = Date.now() - startedMs;
    this.observer.notify({ kind: 'logon-failed', peer: peerOf(attempt), user: account.user, clientDomain: account.domain, scheme, mechanism, failure, detail, handshakeMs });
    if (scheme !== 'Basic') await this.holdIfGuessing(address);
    return this.deny(detail);
  }

  private deny(reason: string, wwwAuthenticate: readonly string[] = this.challenges()): AuthDecision {
    return { kind: 'deny', wwwAuthenticate, reason };
  }
}
