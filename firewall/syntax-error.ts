/**
 * A firewall setting that does not parse. firewall/ knows nothing of where the text came from, so
 * the message names only the bad part; config/ prefixes the setting and the source.
 */
export class FirewallSyntaxError extends Error {
  override readonly name = 'FirewallSyntaxError';
}
