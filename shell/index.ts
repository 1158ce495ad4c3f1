/** The process runtime for WinRS commands; the only module other folders import from shell/. */
export type {
  CommandLaunch,
  CommandOutput,
  OutputChunk,
  OutputStreamName,
  RunAsAccount,
  ShellSettings,
  ShellSignal,
} from './types.js';
export { CommandProcess } from './command-process.js';
export { CommandLaunchError, ReceiveBusyError, StdinClosedError } from './errors.js';
export { ShellSession } from './shell-session.js';
export {
  NOT_RECOGNIZED_EXIT_CODE,
  parseRuleNames,
  planLaunch,
  type MappingSettings,
  type PlannedLaunch,
  type RuleName,
} from './command-mapping/index.js';
