/**
 * How winrmd's settings appear in the WS-Management configuration tree: the elements of
 * `cfg:Config` in Windows' order (pypsrp's recorded test_wsman_update_envelope_size_500.yml), each
 * either one of our keys or a fixed value for what winrmd does not have (the client section,
 * MaxProviderRequests, the compatibility listeners). winrmd-only keys (Winrmd.*, Listener.*,
 * Firewall.*, Service.Auth.Keytab, ...) are not in it: clients compare this tree with Windows'.
 */
import type { Config, ConfigKey } from '../config/index.js';
import type { ConfigGroupNode, ConfigNode } from '../protocol/config/config-xml.js';

export type TreeLeaf = { readonly name: string; readonly key: ConfigKey } | { readonly name: string; readonly fixed: string };
export interface TreeGroup {
  readonly name: string;
  readonly children: readonly TreeEntry[];
}
export type TreeEntry = TreeLeaf | TreeGroup;

const key = (name: string, configKey: ConfigKey): TreeLeaf => ({ name, key: configKey });
const fixed = (name: string, value: string): TreeLeaf => ({ name, fixed: value });
const group = (name: string, children: readonly TreeEntry[]): TreeGroup => ({ name, children });
const UNLIMITED = '4294967295';

export const CONFIG_TREE: TreeGroup = group('Config', [
  key('MaxEnvelopeSizekb', 'Service.MaxEnvelopeSizekb'),
  key('MaxTimeoutms', 'Service.MaxTimeoutms'),
  key('MaxBatchItems', 'Service.MaxBatchItems'),
  fixed('MaxProviderRequests', UNLIMITED),
  // A server has no client settings of its own; these are Windows' defaults.
  group('Client', [
    fixed('NetworkDelayms', '5000'),
    fixed('URLPrefix', 'wsman'),
    fixed('AllowUnencrypted', 'false'),
    group('Auth', ['Basic', 'Digest', 'Kerberos', 'Negotiate', 'Certificate'].map((n) => fixed(n, 'true')).concat(fixed('CredSSP', 'false'))),
    group('DefaultPorts', [fixed('HTTP', '5985'), fixed('HTTPS', '5986')]),
    fixed('TrustedHosts', ''),
  ]),
  group('Service', [
    key('RootSDDL', 'Service.RootSDDL'),
    fixed('MaxConcurrentOperations', UNLIMITED),
    key('MaxConcurrentOperationsPerUser', 'Service.MaxConcurrentOperationsPerUser'),
    key('EnumerationTimeoutms', 'Service.EnumerationTimeoutms'),
    key('MaxConnections', 'Service.MaxConnections'),
    key('MaxPacketRetrievalTimeSeconds', 'Service.MaxPacketRetrievalTimeSeconds'),
    key('AllowUnencrypted', 'Service.AllowUnencrypted'),
    group('Auth', [
      key('Basic', 'Service.Auth.Basic'),
      key('Kerberos', 'Service.Auth.Kerberos'),
      key('Negotiate', 'Service.Auth.Negotiate'),
      key('Certificate', 'Service.Auth.Certificate'),
      key('CredSSP', 'Service.Auth.CredSSP'),
      key('CbtHardeningLevel', 'Service.Auth.CbtHardeningLevel'),
    ]),
    group('DefaultPorts', [key('HTTP', 'Service.DefaultPorts.HTTP'), key('HTTPS', 'Service.DefaultPorts.HTTPS')]),
    key('IPv4Filter', 'Service.IPv4Filter'),
    key('IPv6Filter', 'Service.IPv6Filter'),
    fixed('EnableCompatibilityHttpListener', 'false'),
    fixed('EnableCompatibilityHttpsListener', 'false'),
    key('CertificateThumbprint', 'Service.CertificateThumbprint'),
    key('AllowRemoteAccess', 'Service.AllowRemoteAccess'),
  ]),
  group('Winrs', [
    key('AllowRemoteShellAccess', 'Winrs.AllowRemoteShellAccess'),
    key('IdleTimeout', 'Winrs.IdleTimeout'),
    key('MaxConcurrentUsers', 'Winrs.MaxConcurrentUsers'),
    key('MaxShellRunTime', 'Winrs.MaxShellRunTime'),
    key('MaxProcessesPerShell', 'Winrs.MaxProcessesPerShell'),
    key('MaxMemoryPerShellMB', 'Winrs.MaxMemoryPerShellMB'),
    key('MaxShellsPerUser', 'Winrs.MaxShellsPerUser'),
  ]),
]);

export function isGroup(entry: TreeEntry): entry is TreeGroup {
  return 'children' in entry;
}

/** The entry at `path` below `from`, names compared without regard to case as Windows does. */
export function findEntry(from: TreeGroup, path: readonly string[]): TreeEntry | undefined {
  let current: TreeEntry = from;
  for (const name of path) {
    if (!isGroup(current)) return undefined;
    const lower = name.toLowerCase();
    const next: TreeEntry | undefined = current.children.find((c) => c.name.toLowerCase() === lower);
    if (next === undefined) return undefined;
    current = next;
  }
  return current;
}

/** The value text Windows writes: true/false, decimal numbers, strings as they are. */
export function leafValue(leaf: TreeLeaf, config: Config): string {
  if (!('key' in leaf)) return leaf.fixed;
  const value = config[leaf.key];
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A group with its values filled in from `config`, ready for writeConfigResource. */
export function renderGroup(tree: TreeGroup, config: Config): ConfigGroupNode {
  const render = (entry: TreeEntry): ConfigNode =>
    isGroup(entry) ? { name: entry.name, children: entry.children.map(render) } : { name: entry.name, value: leafValue(entry, config) };
  return { name: tree.name, children: tree.children.map(render) };
}
