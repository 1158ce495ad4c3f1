/**
 * `winrmd transcript show`'s rendering: one block per exchange half, with the envelope indented so
 * that a person can read it in a bug report.
 */

const INDENT = '  ';

/** Indents XML one element per line; an element holding only text stays on one line. */
export function indentXml(xml: string): string {
  const tokens = xml.split(/(<[^>]*>)/).filter((token) => token.trim() !== '');
  const lines: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const pad = INDENT.repeat(depth);
    if (token.startsWith('</')) {
      depth = Math.max(0, depth - 1);
      lines.push(INDENT.repeat(depth) + token);
    } else if (!token.startsWith('<')) {
      lines.push(pad + token.trim());
    } else if (token.endsWith('/>') || token.startsWith('<?') || token.startsWith('<!')) {
      lines.push(pad + token);
    } else {
      const text = tokens[i + 1];
      const close = tokens[i + 2];
      if (text !== undefined && !text.startsWith('<') && close?.startsWith('</') === true) {
        lines.push(pad + token + text.trim() + close);
        i += 2;
      } else {
        lines.push(pad + token);
        depth++;
      }
    }
  }
  return lines.join('\n');
}

function field(record: Record<string, unknown>, name: string): string {
  const value = record[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** One exchange half; a line that is not a transcript entry is shown as it is, marked. */
export function formatEntry(line: string): string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return `(not a transcript line) ${line}\n`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `(not a transcript line) ${line}\n`;
  const record = value as Record<string, unknown>;
  const direction = field(record, 'direction');
  const what = direction === 'response' ? `response ${field(record, 'status')}` : `request ${field(record, 'method')} ${field(record, 'url')}`;
  const header = `${field(record, 'time')}  ${what}  [connection ${field(record, 'connectionId')} from ${field(record, 'remoteAddress')} over ${field(record, 'transport')}]`;
  const envelope = record['envelope'];
  const body = typeof envelope === 'string' && envelope !== '' ? indentXml(envelope) : '(no envelope)';
  return `${header}\n${body}\n`;
}

/** A whole transcript file's text, blocks separated by a blank line. */
export function formatTranscript(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(formatEntry)
    .join('\n');
}
