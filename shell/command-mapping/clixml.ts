/**
 * PowerShell's CLIXML error stream: what powershell.exe writes to stderr for a command given with
 * -EncodedCommand. pywinrm's Session._clean_error_msg and Ansible's _parse_clixml look for the
 * `#< CLIXML` line and read the text of each `<S S="Error">` element back.
 */

export const CLIXML_HEADER = '#< CLIXML\r\n';
const OBJS_OPEN = '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">';

/** One `<S S="Error">` per line, each line ending in an encoded CRLF, as PowerShell writes them. */
export function clixmlErrorStream(message: string): string {
  const lines = message.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const items = lines.map((line) => `<S S="Error">${encodeClixmlString(`${line}\r\n`)}</S>`);
  return `${CLIXML_HEADER}${OBJS_OPEN}${items.join('')}</Objs>`;
}

/**
 * PowerShell's string encoding ([MS-PSRP] 2.2.5.3.2): control characters become `_xHHHH_`, an
 * underscore that would read as the start of such an escape becomes `_x005F_`, and the rest is
 * XML-escaped the way .NET's XmlWriter escapes text (&, < and > only).
 */
export function encodeClixmlString(text: string): string {
  return text
    .replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_')
    // eslint-disable-next-line no-control-regex -- encoding control characters is the point here
    .replace(/[\u0000-\u001F]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
