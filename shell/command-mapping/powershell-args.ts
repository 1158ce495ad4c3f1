/**
 * Windows PowerShell's command-line switches (powershell.exe /?), translated for pwsh. Clients send
 * powershell.exe switches as a matter of course: pywinrm's run_ps `-encodedcommand`, Ansible
 * `-NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand`, masterzen/winrm
 * `-EncodedCommand`. pwsh takes the same switches, except a few that only mean something on
 * Windows and that pwsh on Linux refuses; those are dropped.
 */

interface SwitchSpec {
  /** Canonical name, written to pwsh. */
  readonly name: string;
  /** Shortest accepted abbreviation: any prefix of `name` at least this long, in any case. */
  readonly minimum: number;
  /** Exact aliases besides the prefixes (`-ec`, `-ep`). */
  readonly aliases?: readonly string[];
  /** 'value': the next word belongs to it; 'rest': it takes every remaining word. */
  readonly takes?: 'value' | 'rest';
  /** Windows-only: dropped, since pwsh on Linux refuses it (WindowStyle) or has no such thing. */
  readonly drop?: boolean;
}

/** Checked in this order, as powershell.exe checks them, which settles `-e` (EncodedCommand). */
const SWITCHES: readonly SwitchSpec[] = [
  { name: 'Command', minimum: 1, takes: 'rest' },
  { name: 'EncodedCommand', minimum: 1, aliases: ['ec'], takes: 'value' },
  { name: 'ExecutionPolicy', minimum: 2, aliases: ['ep'], takes: 'value' },
  { name: 'File', minimum: 1, takes: 'rest' },
  { name: 'InputFormat', minimum: 1, aliases: ['if'], takes: 'value' },
  { name: 'OutputFormat', minimum: 1, aliases: ['of'], takes: 'value' },
  { name: 'NoProfile', minimum: 3 },
  { name: 'NonInteractive', minimum: 4 },
  { name: 'NoLogo', minimum: 3 },
  { name: 'NoExit', minimum: 3 },
  { name: 'WindowStyle', minimum: 1, takes: 'value', drop: true },
  { name: 'Sta', minimum: 1, drop: true },
  { name: 'Mta', minimum: 3, drop: true },
  { name: 'Version', minimum: 1, takes: 'value', drop: true },
  { name: 'PSConsoleFile', minimum: 3, takes: 'value', drop: true },
  { name: 'ConfigurationName', minimum: 6, aliases: ['config'], takes: 'value', drop: true },
];

export interface PowerShellInvocation {
  /** The arguments for pwsh, canonical switch names, in the client's order. */
  readonly args: readonly string[];
  /** The script of -EncodedCommand, decoded; undefined without one or when it is not valid Base64 UTF-16LE. */
  readonly script: string | undefined;
}

/** Translates powershell.exe's arguments (the words after the program) into pwsh's. */
export function translatePowerShellArgs(words: readonly string[]): PowerShellInvocation {
  const args: string[] = [];
  let script: string | undefined;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] ?? '';
    const spec = switchOf(word);
    if (spec === undefined) {
      // `-` reads commands from stdin; any other non-switch word starts the command text, which
      // is what powershell.exe does with `powershell Get-Date`. Unknown switches go through for
      // pwsh to refuse in its own words.
      if (word === '-' || !isSwitchLike(word)) {
        args.push('-Command', ...words.slice(i));
        break;
      }
      args.push(word);
      continue;
    }
    const taken = spec.takes === 'rest' ? words.slice(i + 1) : spec.takes === 'value' ? words.slice(i + 1, i + 2) : [];
    if (spec.name === 'EncodedCommand') script = decodeEncodedCommand(taken[0]);
    if (spec.drop !== true) args.push(`-${spec.name}`, ...taken);
    i += taken.length;
    if (spec.takes === 'rest') break;
  }
  return { args, script };
}

/** -EncodedCommand's value: Base64 of the script in UTF-16LE, as pywinrm's run_ps encodes it. */
export function decodeEncodedCommand(value: string | undefined): string | undefined {
  if (value === undefined || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length % 2 === 0 ? bytes.toString('utf16le') : undefined;
}

/** The inverse, for tests and for clients' sake: how a script is put on a command line. */
export function encodeCommand(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

function isSwitchLike(word: string): boolean {
  return word.length > 1 && (word.startsWith('-') || word.startsWith('/'));
}

function switchOf(word: string): SwitchSpec | undefined {
  if (!isSwitchLike(word)) return undefined;
  // powershell.exe takes -Name and /Name; pwsh also --Name.
  const key = word.replace(/^(--|-|\/)/, '').toLowerCase();
  if (key === '') return undefined;
  return SWITCHES.find((s) => {
    const name = s.name.toLowerCase();
    return s.aliases?.includes(key) === true || (key.length >= s.minimum && name.startsWith(key));
  });
}
