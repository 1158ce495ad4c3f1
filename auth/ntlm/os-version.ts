/**
 * The Windows version winrmd claims (Winrmd.OsVersion): `major.minor.build`, as in the NTLM
 * CHALLENGE's Version field (MS-NLMP 2.2.2.10: one byte, one byte, 16 bits) and Identify's
 * ProductVersion. Tools such as netexec print it to say which Windows they found.
 */
import { NTLMSSP_REVISION_W2K3, type NtlmVersion } from './wire.js';

/** The NTLM Version for `10.0.20348`; undefined when the text is not major.minor.build within the field sizes. */
export function parseOsVersion(text: string): NtlmVersion | undefined {
  const match = /^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,5})\s*$/.exec(text);
  if (match === null) return undefined;
  const [major, minor, build] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (major > 0xff || minor > 0xff || build > 0xffff) return undefined;
  return { productMajorVersion: major, productMinorVersion: minor, productBuild: build, ntlmRevisionCurrent: NTLMSSP_REVISION_W2K3 };
}

/** The text form again, e.g. for Identify's `OS: 10.0.20348 SP: 0.0 Stack: 3.0`. */
export function formatOsVersion(version: NtlmVersion): string {
  return `${version.productMajorVersion}.${version.productMinorVersion}.${version.productBuild}`;
}
