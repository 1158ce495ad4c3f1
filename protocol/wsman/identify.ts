import { escapeXml } from '../xml/escape.js';
import { NS } from './namespaces.js';

const SECURITY_PROFILE_BASE = 'http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile';

export interface IdentifyFacts {
  readonly productVendor: string;
  readonly productVersion: string;
  /** Auth schemes on offer: 'basic' and/or 'spnego-kerberos' (Negotiate, Kerberos). */
  readonly profiles: readonly ('basic' | 'spnego-kerberos')[];
  /** An unauthenticated Identify (WSMANIDENTIFY: unauthenticated) tells no version or profiles. */
  readonly authenticated: boolean;
}

/** [DSP0226] 11 IdentifyResponse, as Windows fills it ([MS-WSMV] 3.1.4.1.23). */
export function writeIdentifyResponse(facts: IdentifyFacts): string {
  const version = facts.authenticated
    ? `<wsmid:ProductVersion>${escapeXml(facts.productVersion)}</wsmid:ProductVersion>`
    : '';
  const profiles = facts.authenticated
    ? `<wsmid:SecurityProfiles>${facts.profiles
        .flatMap((p) => ['http', 'https'].map((t) => `<wsmid:SecurityProfileName>${SECURITY_PROFILE_BASE}/${t}/${p}</wsmid:SecurityProfileName>`))
        .join('')}</wsmid:SecurityProfiles>`
    : '';
  return (
    `<wsmid:IdentifyResponse xmlns:wsmid="${NS.identity}">` +
    `<wsmid:ProtocolVersion>${NS.wsman}</wsmid:ProtocolVersion>` +
    `<wsmid:ProductVendor>${escapeXml(facts.productVendor)}</wsmid:ProductVendor>` +
    `${version}${profiles}</wsmid:IdentifyResponse>`
  );
}
