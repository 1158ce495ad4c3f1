/** The process runtime for WinRS commands; the only module other folders import from shell/. */
export type {
  CommandLaunch,
  CommandOutput,
  OutputChunk,
  OutputStreamName,
  ShellSettings,
  ShellSignal,
} from './types.js';
export { CommandProcess } from './command-process.js';
export { CommandLaunchError, ReceiveBusyError, StdinClosedError } from './errors.js';
export { ShellSession } from './shell-session.js';
