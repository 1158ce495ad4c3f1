export { ConnectionFirewall, FIREWALL_DISABLED, NO_MATCHING_RULE, type ConnectionEnds, type ConnectionVerdict, type FirewallOptions, type Verdict } from './firewall.js';
export { firewallSettingsFrom, type FirewallSettings } from './settings.js';
export { InterfaceTable, type HostAddress } from './interfaces.js';
export type { DropLogSink } from './drop-log.js';
export type { Transport } from './rules.js';
