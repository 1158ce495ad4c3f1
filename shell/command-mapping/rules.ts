/**
 * The command mapping table: the Windows command lines that clients send as a matter of course,
 * and what each becomes on Linux. Windows runs a Command's line with `cmd.exe /c`; winrmd runs it
 * with Winrmd.CommandInterpreter (`/bin/sh -c`), so the few cmd.exe idioms clients rely on are
 * rewritten here first. Winrmd.CommandMapping names the rules in effect; the README lists them.
 * Everything here is pure: finding pwsh and starting processes happen elsewhere (plan-launch.ts).
 */
import { splitCmdSequence, type CmdOperator } from './cmd-operators.js';
import { translatePowerShellArgs } from './powershell-args.js';
import { programName, splitWindowsCommandLine, type CommandWord } from './windows-argv.js';

export type RuleName = 'powershell' | 'cmd' | 'errorlevel' | 'chain' | 'exit';

/** What a mapped command line becomes. */
export type MappedCommand =
  /** A command line for the shell's interpreter; `exitCodes` restores what 8-bit statuses lose. */
  | { readonly kind: 'interpreter'; readonly commandLine: string; readonly exitCodes: ReadonlyMap<number, number> | undefined }
  /** PowerShell: pwsh with `args`, or cmd's "not recognized" for `program` when there is no pwsh. */
  | { readonly kind: 'powershell'; readonly program: string; readonly args: readonly string[]; readonly script: string | undefined };

export interface Mapping {
  readonly command: MappedCommand;
  /** The rules that applied, outermost first, for the log. */
  readonly rules: readonly RuleName[];
}

/** Where a line stands: whether the interpreter runs it, and whether it is cmd.exe's (inside `cmd /c`). */
interface LineContext {
  /** The rules in effect (Winrmd.CommandMapping). */
  readonly enabled: readonly RuleName[];
  readonly viaInterpreter: boolean;
  /** Reached through `cmd /c`: the line is cmd syntax by definition, not the interpreter's. */
  readonly inCmd: boolean;
  /** That cmd runs with delayed expansion (`/v:on`), where `!ERRORLEVEL!` is read at each use. */
  readonly delayedExpansion: boolean;
}

type RuleResult =
  | MappedCommand
  /** Map `commandLine` through the table again, in cmd's context (with `delayedExpansion` if set). */
  | { readonly kind: 'again'; readonly commandLine: string; readonly delayedExpansion?: boolean };

interface MappingRule {
  readonly name: RuleName;
  /** One line for the README's table. */
  readonly summary: string;
  /** Applies only to lines the interpreter runs, never to WINRS_SKIP_CMD_SHELL's direct start. */
  readonly interpreterOnly: boolean;
  /** Applies only to lines cmd.exe runs (inside `cmd /c`), whose syntax is cmd's, not the interpreter's. */
  readonly cmdOnly: boolean;
  apply(line: string, words: readonly CommandWord[], context: LineContext): RuleResult | undefined;
}

const POWERSHELL_PROGRAMS = new Set(['powershell', 'powershell.exe', 'pwsh', 'pwsh.exe']);
const CMD_PROGRAMS = new Set(['cmd', 'cmd.exe']);
const EXIT_LINE = /^\s*exit(?:\s+\/b)?(?:\s+([+-]?\d{1,10}))?\s*$/i;
/** `exit /b` with a value only known when it runs: what the errorlevel rule writes. */
const EXIT_ERRORLEVEL_LINE = /^\s*exit(?:\s+\/b)?\s+(\$\{ERRORLEVEL:-0\}|\$\?)\s*$/i;
/** The value cmd reads for %ERRORLEVEL%: an ERRORLEVEL variable if set, else the (fresh) errorlevel, 0. */
const ERRORLEVEL_AT_PARSE = '${ERRORLEVEL:-0}';
const OPERATOR_TO_SHELL: Readonly<Record<CmdOperator, string>> = { '&': ';', '&&': '&&', '||': '||' };

export const COMMAND_MAPPING_RULES: readonly MappingRule[] = [
  // cmd reads a line in phases: %VAR% expansion first, then the separators, then each command's
  // program; the rules follow that order.
  {
    name: 'errorlevel',
    summary:
      "In a line cmd runs, `%ERRORLEVEL%` is read when cmd reads the line (an ERRORLEVEL variable if set, else 0 in a fresh cmd), so `a & exit /b %ERRORLEVEL%` exits 0 as on Windows; with `/v:on`, `!ERRORLEVEL!` is the last command's status (`$?`).",
    interpreterOnly: true,
    cmdOnly: true,
    apply: (line, _words, context) => {
      // cmd expands %VAR% for the whole line before it splits it at & (phase 1 of its parser), so
      // the value is the one from before the line ran; !VAR! is expanded as each command runs.
      let replaced = line.replace(/%errorlevel%/gi, ERRORLEVEL_AT_PARSE);
      if (context.delayedExpansion) replaced = replaced.replace(/!errorlevel!/gi, '$?');
      return replaced === line ? undefined : { kind: 'again', commandLine: replaced };
    },
  },
  {
    name: 'chain',
    summary: 'In a line cmd runs, `a & b`, `a && b` and `a || b` run each command through the table, joined as `;`, `&&` and `||` (not `&`, which would put `a` in the background).',
    interpreterOnly: true,
    cmdOnly: true,
    apply: (line, _words, context) => {
      const sequence = splitCmdSequence(line);
      if (sequence === undefined) return undefined;
      const exitCodes = new Map<number, number>();
      const parts = sequence.parts.map((part) => {
        // Each command is a line of cmd's own; one the table does not turn into an interpreter line
        // (a PowerShell start, which needs a program of its own) stays as written.
        const mapped = mapInContext(part, context);
        if (mapped?.command.kind !== 'interpreter') return part;
        for (const [status, code] of mapped.command.exitCodes ?? []) exitCodes.set(status, code);
        return mapped.command.commandLine;
      });
      const joined = parts.reduce((text, part, i) => `${text} ${OPERATOR_TO_SHELL[sequence.operators[i - 1] ?? '&']} ${part}`);
      return { kind: 'interpreter', commandLine: joined, exitCodes: exitCodes.size === 0 ? undefined : exitCodes };
    },
  },
  {
    name: 'powershell',
    summary: '`powershell[.exe] ARGS` (also `pwsh[.exe]`) runs Service.PowerShellPath (or pwsh on PATH) with ARGS, Windows-only switches dropped; without pwsh it fails as cmd does: exit code 9009, "not recognized" on stderr as CLIXML.',
    interpreterOnly: false,
    cmdOnly: false,
    apply: (_line, words) => {
      const [program, ...rest] = words;
      if (program === undefined || !POWERSHELL_PROGRAMS.has(programName(program.value))) return undefined;
      const invocation = translatePowerShellArgs(rest.map((w) => w.value));
      return { kind: 'powershell', program: program.value, args: invocation.args, script: invocation.script };
    },
  },
  {
    name: 'cmd',
    summary: '`cmd[.exe] [/d /q /s ...] /c|/k LINE` runs LINE through the table and the interpreter, with cmd\'s first and last quote removed when LINE starts with one.',
    interpreterOnly: false,
    cmdOnly: false,
    apply: (line, words) => {
      const [program, ...rest] = words;
      if (program === undefined || !CMD_PROGRAMS.has(programName(program.value))) return undefined;
      let delayedExpansion = false;
      for (const word of rest) {
        const lower = word.value.toLowerCase();
        if (lower.startsWith('/c') || lower.startsWith('/k')) {
          // `/c` may be glued to the command (`cmd /cdir`), as cmd.exe allows.
          return { kind: 'again', commandLine: stripCmdQuotes(line.slice(word.start + 2).trimStart()), delayedExpansion };
        }
        if (lower === '/v:on' || lower === '/v') delayedExpansion = true;
        if (lower === '/v:off') delayedExpansion = false;
        if (!/^\/[a-z](:\S*)?$/i.test(word.value)) return undefined;
      }
      return undefined;
    },
  },
  {
    name: 'exit',
    summary: '`exit /b N` (and `exit N`) ends with ExitCode N exactly, though a Linux exit status keeps only 8 bits.',
    interpreterOnly: true,
    cmdOnly: false,
    apply: (line) => {
      const runtime = EXIT_ERRORLEVEL_LINE.exec(line);
      if (runtime !== null) return { kind: 'interpreter', commandLine: `exit ${runtime[1] ?? '0'}`, exitCodes: undefined };
      const match = EXIT_LINE.exec(line);
      if (match === null) return undefined;
      const code = match[1] === undefined ? 0 : Number(match[1]);
      if (code < -0x8000_0000 || code > 0xffff_ffff) return undefined;
      const status = ((code % 256) + 256) % 256;
      return { kind: 'interpreter', commandLine: `exit ${status}`, exitCodes: status === code ? undefined : new Map([[status, code]]) };
    },
  },
];

export const RULE_NAMES: readonly RuleName[] = COMMAND_MAPPING_RULES.map((r) => r.name);

/** Winrmd.CommandMapping's text: rule names, comma-separated, any case; `unknown` lists the rest. */
export function parseRuleNames(text: string): { readonly rules: readonly RuleName[]; readonly unknown: readonly string[] } {
  const names = text.split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  return {
    rules: RULE_NAMES.filter((r) => names.includes(r)),
    unknown: names.filter((n) => !RULE_NAMES.some((r) => r === n)),
  };
}

/**
 * Maps a command line through the enabled rules; undefined when none applies and the line runs as
 * sent. `viaInterpreter` is false for WINRS_SKIP_CMD_SHELL, where only the program rules apply.
 */
export function mapCommandLine(line: string, enabled: readonly RuleName[], viaInterpreter: boolean): Mapping | undefined {
  return mapInContext(line, { enabled, viaInterpreter, inCmd: false, delayedExpansion: false });
}

function mapInContext(line: string, context: LineContext): Mapping | undefined {
  const words = splitWindowsCommandLine(line);
  for (const rule of COMMAND_MAPPING_RULES) {
    if (!context.enabled.includes(rule.name) || (rule.interpreterOnly && !context.viaInterpreter) || (rule.cmdOnly && !context.inCmd)) continue;
    const result = rule.apply(line, words, context);
    if (result === undefined) continue;
    if (result.kind !== 'again') return { command: result, rules: [rule.name] };
    // cmd /c runs its line through cmd itself, so the table applies to it again, in cmd's context.
    // Each step consumes what it matched (the cmd prefix, a %ERRORLEVEL%), which bounds the recursion.
    const innerContext: LineContext = {
      enabled: context.enabled,
      viaInterpreter: true,
      inCmd: true,
      delayedExpansion: result.delayedExpansion ?? context.delayedExpansion,
    };
    const inner = mapInContext(result.commandLine, innerContext);
    const command: MappedCommand = inner?.command ?? { kind: 'interpreter', commandLine: result.commandLine, exitCodes: undefined };
    return { command, rules: [rule.name, ...(inner?.rules ?? [])] };
  }
  return undefined;
}

/**
 * cmd.exe's quote rule for /c without the special case for a quoted program path: a line that
 * starts with a quote loses that quote and the last one in the line (`"echo hi" > f` is `echo hi > f`).
 */
function stripCmdQuotes(line: string): string {
  if (!line.startsWith('"')) return line;
  const last = line.lastIndexOf('"');
  return last === 0 ? line.slice(1) : line.slice(1, last) + line.slice(last + 1);
}
