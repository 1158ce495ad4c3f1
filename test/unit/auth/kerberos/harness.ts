/** Wiring shared by the acceptor tests: an acceptor over one service key, and a full handshake. */
import { expect } from 'vitest';
import { KerberosAcceptor, type KerberosAcceptorOptions } from '../../../../auth/kerberos/acceptor.js';
import { MemoryReplayCache } from '../../../../auth/kerberos/replay-cache.js';
import type { ServiceKeyRequest } from '../../../../auth/kerberos/verify-ap-req.js';
import { type ApReqOptions, type BuiltApReq, type IssuedTicket, NOW, REALM, type TestKey, buildApReq, issueTicket, randomKey } from './test-kdc.js';
import { TestInitiator } from './test-initiator.js';

export interface Service {
  readonly key: TestKey;
  readonly kvno: number;
  readonly requests: ServiceKeyRequest[];
}

export function service(etype = 18, kvno = 3): Service {
  return { key: randomKey(etype), kvno, requests: [] };
}

/** A keytab-like lookup: HTTP/srv01.example.com@EXAMPLE.COM at one kvno and etype. */
export function makeAcceptor(svc: Service, overrides: Partial<KerberosAcceptorOptions> = {}): KerberosAcceptor {
  return new KerberosAcceptor({
    keys: (request) => {
      svc.requests.push(request);
      const matches =
        request.serviceComponents.join('/').toLowerCase() === 'http/srv01.example.com' &&
        request.realm === REALM &&
        (request.kvno === undefined || request.kvno === svc.kvno) &&
        request.enctype === svc.key.etype;
      return matches ? svc.key.key : undefined;
    },
    acceptedRealms: [REALM],
    now: () => NOW,
    replayCache: new MemoryReplayCache({ now: () => NOW.getTime() }),
    ...overrides,
  });
}

export interface Established {
  readonly acceptor: KerberosAcceptor;
  readonly initiator: TestInitiator;
  readonly issued: IssuedTicket;
  readonly built: BuiltApReq;
}

/** Issues a ticket, runs the AP exchange with mutual authentication, and reads the AP-REP back. */
export async function establish(
  svc: Service = service(),
  apReq: Partial<ApReqOptions> = {},
  overrides: Partial<KerberosAcceptorOptions> = {},
): Promise<Established> {
  const issued = issueTicket({ serviceKey: svc.key, kvno: svc.kvno });
  const built = buildApReq({ issued, ...apReq });
  const acceptor = makeAcceptor(svc, overrides);
  const result = await acceptor.step(built.token);
  if (result.kind !== 'complete' || result.token === undefined) throw new Error(`handshake did not complete: ${JSON.stringify(result)}`);
  expect(acceptor.state).toBe('established');
  return { acceptor, initiator: TestInitiator.fromApRep(result.token, built, issued), issued, built };
}
