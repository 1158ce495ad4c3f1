/**
 * From a WinRS Command to the process to start: the mapping table (rules.ts) first, then, for
 * PowerShell, finding pwsh. The Command handler calls this and nothing else of the mapping.
 */
import type { CommandLaunch } from '../types.js';
import { findPowerShell } from './find-program.js';
import { notRecognizedLaunch } from './not-recognized.js';
import { mapCommandLine, type RuleName } from './rules.js';

export interface MappingSettings {
  /** The rules in effect (Winrmd.CommandMapping). */
  readonly rules: readonly RuleName[];
  /** Service.PowerShellPath; empty looks up pwsh on the command's PATH. */
  readonly powerShellPath: string;
  /** The command's environment, whose PATH is searched. */
  readonly environment: Readonly<Record<string, string>>;
}

export interface PlannedLaunch {
  readonly launch: CommandLaunch;
  /** The rules that applied, outermost first; empty when the line runs as sent. */
  readonly rules: readonly RuleName[];
}

export async function planLaunch(request: CommandLaunch, settings: MappingSettings): Promise<PlannedLaunch> {
  const mapping = mapCommandLine(request.commandLine, settings.rules, !request.skipInterpreter);
  if (mapping === undefined) return { launch: request, rules: [] };
  const { command, rules } = mapping;
  if (command.kind === 'interpreter') {
    return { launch: { ...request, commandLine: command.commandLine, skipInterpreter: false, exitCodes: command.exitCodes }, rules };
  }
  const pwsh = await findPowerShell(settings.powerShellPath, settings.environment['PATH']);
  const launch = pwsh === undefined ? notRecognizedLaunch(request, command.program) : { ...request, argv: [pwsh, ...command.args] };
  return { launch, rules };
}
