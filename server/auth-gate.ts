import { setTimeout as sleep } from 'node:timers/promises';
import { localAccountName, parseBasicCredentials } from '../auth/basic.js';
import { mayUseRemoteManagement } from '../auth/authorize.js';
import type { UserStore } from '../users/index.js';
import type { Logger } from './logger.js';
import type { LoginThrottle } from './login-throttle.js';
import type { Principal } from './principal.js';

export interface AuthGateSettings {
  readonly basicEnabled: boolean;
  readonly allowUnencrypted: boolean;
}

export interface AuthAttempt {
  readonly authorization: string | undefined;
  /** `WSMANIDENTIFY: unauthenticated` lets an Identify through without credentials. */
  readonly identifyHeader: string | undefined;
  readonly isTls: boolean;
  readonly remoteAddress: string;
}

export type AuthDecision =
  | { readonly kind: 'allow'; readonly principal: Principal }
  | { readonly kind: 'anonymous-identify' }
  | { readonly kind: 'deny'; readonly wwwAuthenticate: readonly string[]; readonly reason: string };

/**
 * Decides who a request comes from and whether they may use WinRM at all. Every refusal is a bare
 * 401 with the schemes on offer, as Windows sends it: the client learns nothing about whether the
 * account exists, the password was wrong, or the account lacks the group.
 */
export class AuthGate {
  constructor(
    private readonly settings: AuthGateSettings,
    private readonly users: UserStore,
    private readonly throttle: LoginThrottle,
    private readonly log: Logger,
  ) {}

  /** The WWW-Authenticate values of a 401: one per enabled scheme. */
  challenges(): string[] {
    return this.settings.basicEnabled ? ['Basic realm="WSMAN"'] : [];
  }

  async authenticate(attempt: AuthAttempt): Promise<AuthDecision> {
    const header = attempt.authorization?.trim();
    if (header === undefined || header === '') {
      if (attempt.identifyHeader?.trim().toLowerCase() === 'unauthenticated') return { kind: 'anonymous-identify' };
      return this.deny('no credentials');
    }
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    if (scheme !== 'basic' || !this.settings.basicEnabled) return this.deny(`scheme ${scheme} not enabled`);
    // Basic sends the password in the clear: Windows refuses it on HTTP unless AllowUnencrypted.
    if (!attempt.isTls && !this.settings.allowUnencrypted) return this.deny('Basic over HTTP while AllowUnencrypted is false');
    const credentials = parseBasicCredentials(header.slice(space + 1));
    if (credentials === undefined) return this.deny('malformed Basic credentials');
    return this.checkBasic(localAccountName(credentials.userName), credentials.password, attempt.remoteAddress);
  }

  private async checkBasic(userName: string, password: string, address: string): Promise<AuthDecision> {
    const delayMs = this.throttle.delayFor(address);
    if (delayMs > 0) await sleep(delayMs);
    const user = await this.users.verify(userName, password);
    if (user === undefined) {
      this.throttle.recordFailure(address);
      this.log.warn({ event: 'logon-failed', user: userName, remoteAddress: address, scheme: 'Basic' }, 'authentication failed');
      return this.deny('wrong user name or password');
    }
    this.throttle.recordSuccess(address);
    if (!mayUseRemoteManagement(user.groups)) {
      this.log.warn(
        { event: 'access-denied', user: user.name, remoteAddress: address, scheme: 'Basic' },
        'refused: not a member of Administrators or Remote Management Users',
      );
      return this.deny('not in Administrators or Remote Management Users');
    }
    return { kind: 'allow', principal: { name: user.name, groups: user.groups, authScheme: 'Basic' } };
  }

  private deny(reason: string): AuthDecision {
    return { kind: 'deny', wwwAuthenticate: this.challenges(), reason };
  }
}
