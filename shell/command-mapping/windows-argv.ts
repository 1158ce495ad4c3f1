/**
 * Windows command lines as Windows programs split them. A WinRS Command arrives as one string that
 * cmd.exe (or the program itself, with WINRS_SKIP_CMD_SHELL) would split by the Microsoft C
 * runtime's rules; the mapping table must split it the same way to see what the client asked for.
 */

/** One word of a command line and where its raw text lies, so the untouched rest can be taken. */
export interface CommandWord {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Splits like CommandLineToArgvW and the 2008+ C runtime: blanks separate words outside quotes;
 * `"` toggles quoting and `""` inside quotes is one literal quote; 2n backslashes before a quote
 * become n backslashes (the quote toggles), 2n+1 become n and a literal quote; other backslashes
 * are literal.
 */
export function splitWindowsCommandLine(line: string): CommandWord[] {
  const words: CommandWord[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && isBlank(line.charAt(i))) i += 1;
    if (i >= line.length) break;
    const start = i;
    let value = '';
    let quoted = false;
    while (i < line.length && (quoted || !isBlank(line.charAt(i)))) {
      const c = line.charAt(i);
      if (c === '\\') {
        let slashes = 0;
        while (line.charAt(i) === '\\') {
          slashes += 1;
          i += 1;
        }
        if (line.charAt(i) === '"') {
          value += '\\'.repeat(Math.floor(slashes / 2));
          if (slashes % 2 === 1) {
            value += '"';
            i += 1;
          }
        } else {
          value += '\\'.repeat(slashes);
        }
      } else if (c === '"') {
        if (quoted && line.charAt(i + 1) === '"') {
          value += '"';
          i += 2;
        } else {
          quoted = !quoted;
          i += 1;
        }
      } else {
        value += c;
        i += 1;
      }
    }
    words.push({ value, start, end: i });
  }
  return words;
}

/**
 * The program a command word names, as cmd.exe looks it up: the last path component (either
 * slash), in lower case. `C:\Windows\System32\WindowsPowerShell\v1.0\PowerShell.exe` is
 * `powershell.exe`.
 */
export function programName(word: string): string {
  const base = word.split(/[\\/]/).at(-1) ?? word;
  return base.toLowerCase();
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t';
}
