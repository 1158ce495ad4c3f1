/**
 * Raised by the parsers in protocol/ for bytes or XML they cannot accept. Parsers throw nothing
 * else, so the server can map every parse failure to one fault.
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}
