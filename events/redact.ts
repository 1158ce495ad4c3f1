/**
 * Secrets in command lines. Windows' process-creation audit records command lines as typed, so
 * passwords passed as arguments end up in the Security log; winrmd records them too (4688) but
 * first replaces every value that looks like a secret with [redacted]. A rule is a regular
 * expression: its `secret` group (or, without one, the whole match) is what gets replaced, so the
 * option names stay readable for an investigator. False positives cost a little evidence; a false
 * negative would leak a password, so the rules lean towards redacting.
 */

export const REDACTED = '[redacted]';

/** An argument: a quoted string (whole, quotes included) or a run of non-blanks. */
const VALUE = String.raw`(?:"[^"]*"|'[^']*'|[^\s"']+)`;
const SECRET_WORDS = String.raw`(?:password|passwd|passphrase|pass|pwd|secret|token|api[-_]?key|access[-_]?key|secret[-_]?key|credentials?)`;
/** Options that name a user, which make a nearby `-p VALUE` a password (mysql, psql-likes, smbclient...). */
const USER_OPTION = String.raw`\s-(?:u|U|l|-user|-username)\b`;

const BUILT_IN_RULES: readonly string[] = [
  // scheme://user:password@host
  String.raw`\b[a-z][a-z0-9+.-]*://[^\s:/@'"]+:(?<secret>[^\s@/'"]+)@`,
  // --password=x, --password x, -Password x, -Password:x, --db-password x, -token x (not --password-stdin)
  String.raw`(?:^|\s)--?(?:[a-z0-9]+[-_])*${SECRET_WORDS}(?:=|:|\s+)(?<secret>${VALUE})`,
  // /p:x, /pass:x, /password:x (Windows tools)
  String.raw`(?:^|\s)/(?:p|pw|pass|password|passwd)[:=](?<secret>${VALUE})`,
  // sshpass -p x, sshpass -px
  String.raw`\bsshpass\s+-p\s*(?<secret>${VALUE})`,
  // mysql -pSECRET (the password attached to -p)
  String.raw`\b(?:mysql|mysqldump|mysqladmin|mariadb)\b[^|;&\n]*?\s-p(?<secret>${VALUE})`,
  // -p x with a user option in the same command, before or after it
  // (the lookahead first, so that the costly lookbehind runs only where a -p stands)
  String.raw`(?=\s-p\s)(?<=(?:^|[|;&\n])[^|;&\n]*${USER_OPTION}[^|;&\n]*)\s-p\s+(?<secret>${VALUE})`,
  String.raw`\s-p\s+(?<secret>${VALUE})(?=[^|;&\n]*${USER_OPTION})`,
  // curl -u user:password, --user user:password, --proxy-user user:password
  String.raw`(?:^|\s)(?:-u|--user|--proxy-user)\s*[^\s:'"]+:(?<secret>[^\s'"]+)`,
  // Authorization: Basic xxx / Bearer xxx (curl -H, wget --header)
  String.raw`\bauthorization:\s*(?:(?:basic|bearer|negotiate|ntlm|digest)\s+)?(?<secret>[^\s'"]+)`,
  // PASSWORD=x, MYSQL_PWD=x, api_key=x, ?token=x
  String.raw`\b\w*(?:password|passwd|_pwd|secret|token|api_?key)\w*=(?<secret>${VALUE})`,
  // ConvertTo-SecureString 'x' -AsPlainText
  String.raw`\bconvertto-securestring\s+(?:-string\s+)?(?<secret>${VALUE})`,
  // net user NAME PASSWORD, net use \\host\share PASSWORD
  String.raw`\bnet\s+(?:user\s+[^\s/]+|use\s+\\\\\S+)\s+(?<secret>(?!/)${VALUE})`,
  // echo x | sudo -S ..., echo user:x | chpasswd
  String.raw`\becho\s+(?:-n\s+)?(?<secret>${VALUE})\s*\|\s*(?:sudo\s+-S|chpasswd|passwd)`,
];

export class RedactPatternError extends Error {
  override readonly name = 'RedactPatternError';
}

/** Compiled once at start; `redact` is called for every recorded command line. */
export class CommandLineRedactor {
  readonly #rules: readonly RegExp[];

  /** `extraPatterns` (Winrmd.Events.RedactPatterns) are case-insensitive regular expressions. */
  constructor(extraPatterns: readonly string[] = []) {
    const extra = extraPatterns.map((pattern) => {
      try {
        return new RegExp(pattern, 'gdi');
      } catch (error) {
        throw new RedactPatternError(`'${pattern}' is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    this.#rules = [...BUILT_IN_RULES.map((rule) => new RegExp(rule, 'gdi')), ...extra];
  }

  redact(commandLine: string): string {
    let text = truncate(commandLine);
    for (const rule of this.#rules) text = applyRule(rule, text);
    return text;
  }
}

/** Windows' own limit on a command line; longer ones (a command may be 500 KB) are cut. */
export const MAX_COMMAND_LINE = 32767;
export const TRUNCATED = ' [truncated]';

/**
 * Cuts at the limit and then back to the last blank, before redaction: a secret cut in two could
 * otherwise lose what makes a rule see it (the '@' of user:password@host) and leak its first half.
 */
function truncate(commandLine: string): string {
  if (commandLine.length <= MAX_COMMAND_LINE) return commandLine;
  const head = commandLine.slice(0, MAX_COMMAND_LINE);
  const blank = head.search(/\s\S*$/);
  return (blank > 0 ? head.slice(0, blank) : '') + TRUNCATED;
}

/** Replaces each match's `secret` group (or the whole match) with REDACTED. */
function applyRule(rule: RegExp, text: string): string {
  let out = '';
  let copied = 0;
  rule.lastIndex = 0;
  for (let match = rule.exec(text); match !== null; match = rule.exec(text)) {
    if (match[0] === '') {
      rule.lastIndex += 1; // a pattern that can match nothing must still move on
      continue;
    }
    const span = match.indices?.groups?.['secret'] ?? match.indices?.[0];
    if (span === undefined || span[0] < copied) continue;
    out += text.slice(copied, span[0]) + REDACTED;
    copied = span[1];
  }
  return out + text.slice(copied);
}
