/**
 * The Kerberos side of the comparison: a throw-away MIT KDC (test/support/kdc.ts) with the bench
 * user and HTTP/localhost, the keytab handed to winrmd, and a credential cache holding a service
 * ticket the load generator builds its AP-REQs from. Absent when MIT Kerberos is not installed.
 */
import { locateKrb5Binaries, startKdc, type RunningKdc } from '../../test/support/kdc.js';

export interface KerberosRealm {
  readonly kdc: RunningKdc;
  /** `FILE:` cache with a TGT and a ticket for HTTP/localhost. */
  readonly ccache: string;
}

const SERVICE = 'HTTP/localhost';

export async function kerberosAvailable(): Promise<boolean> {
  try {
    await locateKrb5Binaries();
    return true;
  } catch {
    return false; // it names what is missing; the rows then say Kerberos was skipped
  }
}

export async function startKerberosRealm(user: string, password: string): Promise<KerberosRealm> {
  const kdc = await startKdc({ users: [{ name: user, password }], services: [SERVICE] });
  try {
    const ccache = await kdc.kinit(user, password);
    const kvno = await kdc.run('kvno', [SERVICE], { ccache });
    if (kvno.code !== 0) throw new Error(`kvno ${SERVICE}: ${kvno.stderr}`);
    return { kdc, ccache };
  } catch (error) {
    await kdc.stop();
    throw error;
  }
}

export const KERBEROS_SERVICE = SERVICE;
