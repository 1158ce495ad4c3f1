/**
 * What cmd.exe does with a program it cannot find: "'X' is not recognized as an internal or
 * external command, operable program or batch file." and ERRORLEVEL 9009. winrmd answers a
 * `powershell ...` line that way when there is no pwsh, with the text in the CLIXML form that
 * pywinrm's run_ps and Ansible parse from a PowerShell command's stderr.
 */
import type { CommandLaunch } from '../types.js';
import { clixmlErrorStream } from './clixml.js';

/** cmd.exe's ERRORLEVEL for "not recognized" (9009 = 0x2331). */
export const NOT_RECOGNIZED_EXIT_CODE = 9009;

/** The status the stand-in process exits with, reported as NOT_RECOGNIZED_EXIT_CODE. */
const SHELL_NOT_FOUND_STATUS = 127;

export function notRecognizedMessage(program: string): string {
  return `'${program}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`;
}

/**
 * A launch that writes the message to stderr and ends with 9009. A real process stands in for the
 * missing program, so that Send, Receive and Signal behave as for any other command; Linux exit
 * statuses have 8 bits, so its 127 is reported as 9009.
 */
export function notRecognizedLaunch(base: CommandLaunch, program: string): CommandLaunch {
  const script = `printf '%s' "$1" >&2; exit ${SHELL_NOT_FOUND_STATUS}`;
  return {
    ...base,
    argv: ['/bin/sh', '-c', script, 'winrmd', clixmlErrorStream(notRecognizedMessage(program))],
    exitCodes: new Map([[SHELL_NOT_FOUND_STATUS, NOT_RECOGNIZED_EXIT_CODE]]),
  };
}
