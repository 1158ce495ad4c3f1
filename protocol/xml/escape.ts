/** Escapes text for element content and double-quoted attribute values alike. */
export function escapeXml(text: string): string {
  // Most text (ids, URIs, base64) has nothing to escape: a test is cheaper than a replace with a callback.
  if (!NEEDS_ESCAPING.test(text)) return text;
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

const NEEDS_ESCAPING = /[&<>"']/;

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
