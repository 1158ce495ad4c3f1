import { KerberosMessageError } from '../errors.js';

/**
 * Runs a parser so that it throws KerberosMessageError and nothing else: asn1js is defensive but
 * does not promise never to throw on hostile input, and a TypeError from a surprising shape must
 * not escape as a crash.
 */
export function guarded<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof KerberosMessageError) throw error;
    throw new KerberosMessageError(`${what}: malformed`);
  }
}

/** pvno / tkt-vno / authenticator-vno: Kerberos version 5 is the only one [RFC 4120 §5.2]. */
export function expectVersion(value: number, what: string): void {
  if (value !== 5) throw new KerberosMessageError(`${what}: version ${value}, expected 5`);
}

/** msg-type must match the APPLICATION tag [RFC 4120 §5.10]. */
export function expectMessageType(value: number, expected: number, what: string): void {
  if (value !== expected) throw new KerberosMessageError(`${what}: msg-type ${value}, expected ${expected}`);
}
