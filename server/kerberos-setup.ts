import { readFile } from 'node:fs/promises';
import { DEFAULT_ACCEPTED_SERVICES, MemoryReplayCache, type ReplayCache, type ServiceKeyLookup } from '../auth/kerberos/index.js';
import { enctypeById } from '../auth/kerberos/crypto/index.js';
import { findKey, KeytabError, parseKeytab, principalName, type KeytabEntry } from '../auth/kerberos/keytab/keytab.js';
import type { Config } from '../config/index.js';
import type { Logger } from './logger.js';

/** What the Kerberos acceptors of this service share: keys, realms, the replay cache. */
export interface KerberosService {
  readonly keys: ServiceKeyLookup;
  readonly acceptedRealms: readonly string[];
  readonly maxClockSkewMs: number;
  readonly replayCache: ReplayCache;
}

/** Where MIT's own servers look for their keys when nothing else is said. */
const SYSTEM_KEYTAB = '/etc/krb5.keytab';

/**
 * Finds the keytab the way MIT servers do (Service.Auth.Keytab, else KRB5_KTNAME, else
 * /etc/krb5.keytab) and keeps the entries for HTTP/ and WSMAN/ principals with an enctype we
 * implement. Kerberos is offered only when there is at least one; either way the start log says so.
 */
export async function loadKerberosService(config: Config, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<KerberosService | undefined> {
  if (!config['Service.Auth.Kerberos']) {
    log.info({ event: 'kerberos', enabled: false, reason: 'Service.Auth.Kerberos is false' }, 'Kerberos off');
    return undefined;
  }
  const path = keytabPath(config['Service.Auth.Keytab'], env['KRB5_KTNAME']);
  let entries: KeytabEntry[];
  try {
    entries = parseKeytab(await readFile(path));
  } catch (error) {
    const reason = error instanceof KeytabError ? `malformed keytab: ${error.message}` : `cannot read ${path}`;
    log.info({ event: 'kerberos', enabled: false, keytab: path, reason }, 'Kerberos not offered: no usable keytab');
    return undefined;
  }
  const usable = entries.filter(
    (e) => DEFAULT_ACCEPTED_SERVICES.some((s) => s.toLowerCase() === e.principal.components[0]?.toLowerCase()) && enctypeById(e.enctype) !== undefined,
  );
  if (usable.length === 0) {
    log.info({ event: 'kerberos', enabled: false, keytab: path, reason: 'no HTTP/ or WSMAN/ key of a supported enctype' }, 'Kerberos not offered');
    return undefined;
  }
  const configuredRealms = config['Service.Auth.Realms'].split(',').map((r) => r.trim()).filter((r) => r !== '');
  const acceptedRealms = configuredRealms.length > 0 ? configuredRealms : [...new Set(usable.map((e) => e.principal.realm))];
  log.info(
    { event: 'kerberos', enabled: true, keytab: path, principals: [...new Set(usable.map((e) => principalName(e)))], acceptedRealms },
    'Kerberos offered',
  );
  return {
    keys: (request) => {
      const query = { components: request.serviceComponents, realm: request.realm, enctype: request.enctype };
      // A keytab that missed a key rotation may still hold the key under another kvno: try it too.
      return (findKey(usable, { ...query, kvno: request.kvno }) ?? findKey(usable, query))?.key;
    },
    acceptedRealms,
    maxClockSkewMs: config['Service.Auth.MaxClockSkewms'],
    replayCache: new MemoryReplayCache(),
  };
}

function keytabPath(configured: string, fromEnvironment: string | undefined): string {
  if (configured !== '') return configured;
  // KRB5_KTNAME may carry a type prefix; FILE: is the only type a file path can name.
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment.replace(/^(FILE|WRFILE):/i, '');
  return SYSTEM_KEYTAB;
}
