/**
 * Windows' built-in rules for WinRM, in Firewall.Rules' canonical form. On Windows each is really
 * two rules under one name: Domain and Private networks let any address in, Public networks only
 * the local subnet.
 */
import type { JsonValue } from '../config/json-value.js';

const rulePair = (name: string, port: 'HTTP' | 'HTTPS') =>
  [
    { Name: name, Enabled: true, Profiles: ['Domain', 'Private'], Action: 'Allow', LocalPort: [port], RemoteAddress: ['*'] },
    { Name: name, Enabled: true, Profiles: ['Public'], Action: 'Allow', LocalPort: [port], RemoteAddress: ['LocalSubnet'] },
  ] as const;

/** Typed as the JSON list Config holds; the tests check that it parses as rules. */
export const DEFAULT_FIREWALL_RULES: readonly JsonValue[] = [
  ...rulePair('Windows Remote Management (HTTP-In)', 'HTTP'),
  ...rulePair('Windows Remote Management (HTTPS-In)', 'HTTPS'),
];
