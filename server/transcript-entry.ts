/**
 * One line of a transcript file (issue 7), and the redaction that makes transcripts safe to attach
 * to a bug report: credentials and session tokens are removed, the scheme names stay because they
 * are what a client author needs to see.
 */

export type TranscriptDirection = 'request' | 'response';

export interface TranscriptEntry {
  readonly time: string;
  readonly direction: TranscriptDirection;
  readonly connectionId: string;
  readonly remoteAddress: string;
  readonly transport: 'http' | 'https';
  readonly method?: string;
  readonly url?: string;
  readonly status?: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** The SOAP envelope as plaintext (after decryption, before encryption); absent for empty bodies. */
  readonly envelope?: string;
}

/** Headers whose values carry credentials or tokens (NTLM, Kerberos, Basic). */
const AUTH_HEADERS = new Set(['authorization', 'www-authenticate', 'proxy-authorization', 'proxy-authenticate']);

/** `Negotiate TlRM...` becomes `Negotiate <redacted>`; a bare scheme (a challenge) stays as it is. */
export function redactAuthValue(value: string): string {
  const trimmed = value.trim();
  const space = trimmed.search(/\s/);
  return space < 0 ? trimmed : `${trimmed.slice(0, space)} <redacted>`;
}

/** Header values are strings, numbers (Content-Length) or lists of them; anything else is dropped. */
function headerText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

export function redactHeaders(headers: Readonly<Record<string, unknown>>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const values = Array.isArray(value) ? value.map(headerText).filter((v) => v !== undefined) : headerText(value);
    if (values === undefined) continue;
    const redact = AUTH_HEADERS.has(name.toLowerCase());
    out[name] = Array.isArray(values) ? values.map((v) => (redact ? redactAuthValue(v) : v)) : redact ? redactAuthValue(values) : values;
  }
  return out;
}

/**
 * Elements named like a password (`<p:Password>`, `<cfg:AdminPassword>`) lose their content: the
 * configuration resource and custom shells could carry one, and a transcript must never.
 */
export function redactEnvelope(xml: string): string {
  return xml.replace(/<((?:[\w.-]+:)?[\w.-]*Password)(\s[^>]*)?>[\s\S]*?<\/\1\s*>/gi, (_match, name: string, attributes: string | undefined) => {
    return `<${name}${attributes ?? ''}>&lt;redacted&gt;</${name}>`;
  });
}
