/**
 * How Windows describes a network logon of each kind in its Security events: the logon type, the
 * logon process and the authentication package LSA reports.
 *
 * NTLM and Kerberos (whether the client said Negotiate, NTLM or Kerberos in HTTP) are network logons,
 * type 3, reported under the package that actually ran, as on Windows: a Negotiate logon shows NTLM
 * or Kerberos. Basic is different: WinRM hands the clear-text password to LogonUser, which Windows
 * records as a NetworkCleartext logon (type 8) by the Advapi logon process through MSV1_0, the same
 * shape IIS Basic logons have. That choice is ours (no WinRM Basic capture was at hand to confirm it).
 */
import type { AuthMechanism, LogonFailure } from './signals.js';

export interface LogonProfile {
  readonly LogonType: string;
  readonly LogonProcessName: string;
  readonly AuthenticationPackageName: string;
  readonly LmPackageName: string;
  readonly KeyLength: string;
}

const PROFILES: Readonly<Record<AuthMechanism, LogonProfile>> = {
  // Windows pads these logon process names with spaces to eight characters.
  NTLM: { LogonType: '3', LogonProcessName: 'NtLmSsp ', AuthenticationPackageName: 'NTLM', LmPackageName: 'NTLM V2', KeyLength: '128' },
  Kerberos: { LogonType: '3', LogonProcessName: 'Kerberos', AuthenticationPackageName: 'Kerberos', LmPackageName: '-', KeyLength: '0' },
  Basic: { LogonType: '8', LogonProcessName: 'Advapi  ', AuthenticationPackageName: 'MICROSOFT_AUTHENTICATION_PACKAGE_V1_0', LmPackageName: '-', KeyLength: '0' },
};

export function logonProfile(mechanism: AuthMechanism): LogonProfile {
  return PROFILES[mechanism];
}

/**
 * Status and SubStatus of a failed logon (4625) as LSA reports them: STATUS_LOGON_FAILURE with
 * STATUS_NO_SUCH_USER for an unknown account or STATUS_WRONG_PASSWORD for a bad password;
 * STATUS_TIME_DIFFERENCE_AT_DC for Kerberos clock skew. Other refusals (NTLMv1, a bad MIC or
 * channel binding, a malformed token) have no finer code here; Windows' own choice varies.
 */
export function failureStatus(failure: LogonFailure): { readonly Status: string; readonly SubStatus: string } {
  switch (failure) {
    case 'unknown-user':
      return { Status: '0xc000006d', SubStatus: '0xc0000064' };
    case 'wrong-password':
      return { Status: '0xc000006d', SubStatus: '0xc000006a' };
    case 'clock-skew':
      return { Status: '0xc0000133', SubStatus: '0x0' };
    case 'refused':
      return { Status: '0xc000006d', SubStatus: '0x0' };
  }
}

/** %%2313 is the insertion string "Unknown user name or bad password."; %%2304 "An Error occurred during Logon." */
export function failureReason(failure: LogonFailure): string {
  return failure === 'unknown-user' || failure === 'wrong-password' ? '%%2313' : '%%2304';
}
