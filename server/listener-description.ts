/**
 * What the `.../config/listener` resource reports for a bound listener, in Windows' terms: the
 * Address selector is `*` for every address or `IP:a.b.c.d` for one, and ListeningOn names the
 * addresses it actually accepts on.
 */
import { networkInterfaces } from 'node:os';
import type { ListenerDescription } from '../protocol/config/listener-xml.js';

export interface BoundListener {
  readonly transport: 'http' | 'https';
  /** Listener.Address as configured: `*` or one address. */
  readonly configuredAddress: string;
  readonly port: number;
  readonly certificateThumbprint: string | undefined;
}

export function describeListener(bound: BoundListener): ListenerDescription {
  const everywhere = bound.configuredAddress === '*';
  return {
    address: everywhere ? '*' : `IP:${bound.configuredAddress}`,
    transport: bound.transport === 'http' ? 'HTTP' : 'HTTPS',
    port: bound.port,
    hostname: '',
    enabled: true,
    urlPrefix: 'wsman',
    certificateThumbprint: bound.certificateThumbprint ?? '',
    listeningOn: everywhere ? hostAddresses() : [bound.configuredAddress],
  };
}

/** Every address of the host, IPv4 first, as Windows lists them for a `*` listener. */
function hostAddresses(): string[] {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  const v4 = all.filter((a) => a.family === 'IPv4').map((a) => a.address);
  const v6 = all.filter((a) => a.family === 'IPv6').map((a) => a.address);
  return [...v4, ...v6];
}
