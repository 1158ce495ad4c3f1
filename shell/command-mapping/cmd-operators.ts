/**
 * cmd.exe's command separators in a line cmd runs: `a & b` (then), `a && b` (if a succeeded),
 * `a || b` (if a failed). cmd finds them outside double quotes and not escaped with `^`; an `&`
 * right after `>` or `<` belongs to a redirection (`2>&1`, `>&2`), not a separator.
 */
export type CmdOperator = '&' | '&&' | '||';

export interface CmdSequence {
  /** The commands, raw text between the operators (trimmed). */
  readonly parts: readonly string[];
  /** operators[i] joins parts[i] and parts[i + 1]. */
  readonly operators: readonly CmdOperator[];
}

/** The line's commands and separators; undefined when it has no separator. */
export function splitCmdSequence(line: string): CmdSequence | undefined {
  const parts: string[] = [];
  const operators: CmdOperator[] = [];
  let quoted = false;
  let start = 0;
  let i = 0;
  while (i < line.length) {
    const c = line.charAt(i);
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '^') i += 1;
    else if (!quoted && (c === '&' || (c === '|' && line.charAt(i + 1) === '|'))) {
      const previous = line.slice(0, i).trimEnd().at(-1);
      if (c === '&' && (previous === '>' || previous === '<')) {
        i += 1;
        continue;
      }
      const doubled = line.charAt(i + 1) === c;
      parts.push(line.slice(start, i).trim());
      operators.push(c === '|' ? '||' : doubled ? '&&' : '&');
      i += doubled ? 2 : 1;
      start = i;
      continue;
    }
    i += 1;
  }
  if (operators.length === 0) return undefined;
  parts.push(line.slice(start).trim());
  return { parts, operators };
}
