/**
 * A Kerberos or GSS-API token that does not decode: bad DER, a wrong tag, a missing field, a value
 * out of range. The only error the parsers under auth/kerberos throw, so that callers can turn any
 * malformed client input into a `failed` step without catching everything.
 */
export class KerberosMessageError extends Error {
  override readonly name = 'KerberosMessageError';
}
