/** Opens a SOAP transport to winrmd the way an Endpoint says: Basic over HTTPS, NTLM or Kerberos over HTTP. */
import { findCredential, readCcache } from '../../test/support/krb5-ccache.js';
import { BasicTransport, NtlmEncryptedTransport, type SoapTransport } from '../support/soap-transports.js';
import { KerberosWrappedTransport } from './kerberos-transport.js';
import { KERBEROS_SERVICE } from './kerberos-realm.js';
import type { Endpoint } from './loadgen-spec.js';

/** Connects and authenticates (for Basic, the first request does both). */
export async function connect(endpoint: Endpoint): Promise<SoapTransport> {
  switch (endpoint.auth) {
    case 'basic-https':
      return new BasicTransport(endpoint.port, endpoint.user, endpoint.password, { tls: true });
    case 'ntlm-http':
      return NtlmEncryptedTransport.connect(endpoint.port, { user: endpoint.user, password: endpoint.password });
    case 'kerberos-http': {
      if (endpoint.ccache === undefined) throw new Error('kerberos-http needs a credential cache');
      const credential = findCredential(await readCcache(endpoint.ccache), KERBEROS_SERVICE);
      if (credential === undefined) throw new Error(`no ${KERBEROS_SERVICE} ticket in ${endpoint.ccache}`);
      return KerberosWrappedTransport.connect(endpoint.port, credential);
    }
  }
}
