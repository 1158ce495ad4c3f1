/** The process runtime for WinRS commands; the only module other folders import from shell/. */
export type {
  CommandHandle,
  CommandLaunch,
  CommandOutput,
  OutputChunk,
  OutputStreamName,
  RunAsAccount,
  ShellHandle,
  ShellSettings,
  ShellSignal,
} from './types.js';
export { CommandProcess } from './command-process.js';
export { CommandIdInUseError, CommandLaunchError, ReceiveBusyError, StdinClosedError } from './errors.js';
export { ShellSession } from './shell-session.js';
export { systemProgram } from './system-programs.js';
export {
  parseRuleNames,
  planLaunch,
  type MappingSettings,
  type PlannedLaunch,
  type RuleName,
} from './command-mapping/index.js';
