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
  /** The listener the request came on: Windows lists the profiles of that transport only. */
  readonly transport: 'http' | 'https';
}

/** Windows' order: basic before spnego-kerberos. */
const PROFILE_ORDER = ['basic', 'spnego-kerberos'] as const;

/**
 * [DSP0226] 11 IdentifyResponse, as Windows fills it ([MS-WSMV] 3.1.4.1.23). An unauthenticated
 * caller is told the stack but not the system: Windows writes `OS: 0.0.0 SP: 0.0 Stack: 3.0`
 * (Microsoft's Test-WSMan documentation: "null values for the operating system version and service
 * pack level (OS: 0.0.0 SP: 0.0)"; the same reply is quoted in Greenbone's WinRM detection script).
 */
export function writeIdentifyResponse(facts: IdentifyFacts): string {
  const productVersion = facts.authenticated ? facts.productVersion : withoutSystemVersion(facts.productVersion);
  const version = `<wsmid:ProductVersion>${escapeXml(productVersion)}</wsmid:ProductVersion>`;
  // An authenticated reply recorded from Windows Server 2012 R2 over HTTP lists http/basic then
  // http/spnego-kerberos, nothing for https (printed in Alexei Karve's "Multiple Jumphosts in
  // Ansible Tower", part 4).
  const names = PROFILE_ORDER.filter((p) => facts.profiles.includes(p)).map(
    (p) => `<wsmid:SecurityProfileName>${SECURITY_PROFILE_BASE}/${facts.transport}/${p}</wsmid:SecurityProfileName>`,
  );
  const profiles = facts.authenticated ? `<wsmid:SecurityProfiles>${names.join('')}</wsmid:SecurityProfiles>` : '';
  return (
    `<wsmid:IdentifyResponse xmlns:wsmid="${NS.identity}">` +
    `<wsmid:ProtocolVersion>${NS.wsman}</wsmid:ProtocolVersion>` +
    `<wsmid:ProductVendor>${escapeXml(facts.productVendor)}</wsmid:ProductVendor>` +
    `${version}${profiles}</wsmid:IdentifyResponse>`
  );
}

/** `OS: 10.0.20348 SP: 0.0 Stack: 3.0` → `OS: 0.0.0 SP: 0.0 Stack: 3.0`; anything else is left as it is. */
function withoutSystemVersion(productVersion: string): string {
  return productVersion.replace(/^OS: \S+ SP: \S+/, 'OS: 0.0.0 SP: 0.0');
}
