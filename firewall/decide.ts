/**
 * The rule matcher: what Windows' firewall decides for an inbound connection. A rule applies when
 * it is enabled, lists the profile of the interface the connection arrived on, covers the local
 * port and the remote address. Block rules win over allow rules; no matching rule blocks.
 */
import { remoteAddressMatches } from './address-spec.js';
import type { AddressRange, IpAddress } from './ip-address.js';
import type { Profile } from './profiles.js';
import type { FirewallRule, LocalPortSpec, Transport } from './rules.js';

export interface InboundConnection {
  readonly remote: IpAddress;
  readonly localPort: number;
  /** The winrmd listener it arrived on, which the HTTP/HTTPS port keywords stand for. */
  readonly transport: Transport | undefined;
  readonly profile: Profile;
}

export type RuleDecision =
  | { readonly action: 'allow'; readonly rule: string }
  | { readonly action: 'block'; readonly rule: string | undefined };

function portMatches(spec: LocalPortSpec, connection: InboundConnection): boolean {
  if (spec.kind === 'any') return true;
  if (spec.kind === 'listener') return spec.transport === connection.transport;
  return connection.localPort >= spec.first && connection.localPort <= spec.last;
}

export function ruleMatches(rule: FirewallRule, connection: InboundConnection, localSubnets: readonly AddressRange[]): boolean {
  return (
    rule.enabled &&
    rule.profiles.includes(connection.profile) &&
    rule.localPorts.some((spec) => portMatches(spec, connection)) &&
    rule.remoteAddresses.some((spec) => remoteAddressMatches(spec, connection.remote, localSubnets))
  );
}

/** `rule` names the deciding rule; a block with no rule means nothing allowed the connection. */
export function decide(connection: InboundConnection, rules: readonly FirewallRule[], localSubnets: readonly AddressRange[]): RuleDecision {
  const matching = rules.filter((rule) => ruleMatches(rule, connection, localSubnets));
  const block = matching.find((rule) => rule.action === 'Block');
  if (block !== undefined) return { action: 'block', rule: block.name };
  const allow = matching.find((rule) => rule.action === 'Allow');
  return allow === undefined ? { action: 'block', rule: undefined } : { action: 'allow', rule: allow.name };
}
