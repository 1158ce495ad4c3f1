/**
 * What `winrmd firewall show` and `winrmd firewall test` print: the profiles of the host's
 * interfaces, LocalSubnet, the rules, the Service filters, and the decision for one address.
 * Indented like `winrm get winrm/config`, four spaces a level.
 */
import { formatRemoteAddress } from './address-spec.js';
import type { ConnectionFirewall } from './firewall.js';
import { formatIpAddress, formatRange, type IpAddress } from './ip-address.js';
import { formatProfileAssignment, PROFILES, type Profile } from './profiles.js';
import { formatLocalPort, type FirewallRule, type Transport } from './rules.js';
import { formatServiceFilter } from './service-filter.js';

const INDENT = '    ';

function ruleLines(rule: FirewallRule): string[] {
  return [
    `${INDENT}Rule`,
    `${INDENT}${INDENT}Name = ${rule.name}`,
    `${INDENT}${INDENT}Enabled = ${rule.enabled}`,
    `${INDENT}${INDENT}Profiles = ${rule.profiles.join(', ')}`,
    `${INDENT}${INDENT}Action = ${rule.action}`,
    `${INDENT}${INDENT}LocalPort = ${rule.localPorts.map(formatLocalPort).join(', ')}`,
    `${INDENT}${INDENT}RemoteAddress = ${rule.remoteAddresses.map(formatRemoteAddress).join(', ')}`,
  ];
}

/** The whole picture: settings, interfaces with their profiles, LocalSubnet, rules, filters. */
export function describeFirewall(firewall: ConnectionFirewall): string[] {
  const { settings, interfaces } = firewall;
  const lines = [
    'Firewall',
    `${INDENT}Enabled = ${settings.enabled}`,
    `${INDENT}DefaultProfile = ${settings.defaultProfile}`,
    `${INDENT}Profiles = ${settings.profileAssignments.map(formatProfileAssignment).join(', ') || '(none)'}`,
    'Interfaces',
  ];
  for (const host of interfaces.addresses()) {
    const { profile, source } = firewall.profileOf(host.address);
    lines.push(`${INDENT}${host.interfaceName} ${formatIpAddress(host.address)}/${host.prefixLength} = ${profile} (${source})`);
  }
  lines.push(`LocalSubnet = ${interfaces.localSubnets().map(formatRange).join(', ') || '(none)'}`);
  lines.push('Rules');
  lines.push(...(settings.rules.length === 0 ? [`${INDENT}(none: every connection is blocked)`] : settings.rules.flatMap(ruleLines)));
  lines.push(`Service.IPv4Filter = ${formatServiceFilter(settings.ipv4Filter)}`);
  lines.push(`Service.IPv6Filter = ${formatServiceFilter(settings.ipv6Filter)}`);
  return lines;
}

export interface DecisionQuery {
  readonly remote: IpAddress;
  readonly port: number;
  readonly transport: Transport | undefined;
  /** A local address: decide for the profile of the interface holding it. */
  readonly local?: IpAddress | undefined;
  /** Decide for this profile only; with neither, every profile gets a line. */
  readonly profile?: Profile | undefined;
}

/** `allow` or `block` for the address, with the rule or filter that decided, per profile. */
export function describeDecision(firewall: ConnectionFirewall, query: DecisionQuery): string[] {
  const listener = query.transport === undefined ? 'no winrmd listener' : `${query.transport.toUpperCase()} listener`;
  const lines = [`Decision for ${formatIpAddress(query.remote)} to port ${query.port} (${listener})`];
  let cases: { profile: Profile; why: string }[];
  if (query.local !== undefined) {
    const chosen = firewall.profileOf(query.local);
    const where = chosen.interfaceName === undefined ? 'no interface' : chosen.interfaceName;
    cases = [{ profile: chosen.profile, why: ` (${formatIpAddress(query.local)} on ${where}: ${chosen.source})` }];
  } else {
    cases = (query.profile === undefined ? [...PROFILES] : [query.profile]).map((profile) => ({ profile, why: '' }));
  }
  for (const { profile, why } of cases) {
    const verdict = firewall.decideFor(query.remote, query.port, query.transport, profile);
    lines.push(`${INDENT}${profile}${why} = ${verdict.allowed ? 'allow' : 'block'}, by ${verdict.rule}`);
  }
  return lines;
}
