/**
 * A listener instance of `.../config/listener` ([MS-WSMV] 3.1.4.1.30), in the element order
 * `winrm enumerate winrm/config/listener` shows: Address, Transport, Port, Hostname, Enabled,
 * URLPrefix, CertificateThumbprint, then one ListeningOn per address.
 */
import { escapeXml } from '../xml/escape.js';
import { LISTENER_URI } from './uris.js';

export interface ListenerDescription {
  /** `*`, or `IP:192.0.2.10` for a listener bound to one address. */
  readonly address: string;
  readonly transport: 'HTTP' | 'HTTPS';
  readonly port: number;
  readonly hostname: string;
  readonly enabled: boolean;
  readonly urlPrefix: string;
  readonly certificateThumbprint: string;
  readonly listeningOn: readonly string[];
}

export function writeListener(listener: ListenerDescription): string {
  const item = (name: string, value: string): string => `<cfg:${name}>${escapeXml(value)}</cfg:${name}>`;
  return (
    `<cfg:Listener xmlns:cfg="${LISTENER_URI}">` +
    item('Address', listener.address) +
    item('Transport', listener.transport) +
    item('Port', String(listener.port)) +
    item('Hostname', listener.hostname) +
    item('Enabled', String(listener.enabled)) +
    item('URLPrefix', listener.urlPrefix) +
    item('CertificateThumbprint', listener.certificateThumbprint) +
    listener.listeningOn.map((address) => item('ListeningOn', address)).join('') +
    '</cfg:Listener>'
  );
}
