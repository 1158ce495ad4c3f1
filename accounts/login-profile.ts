/**
 * WINRS_NOPROFILE=FALSE, the default: Windows loads the user's profile before the shell runs. The
 * Linux counterpart is what a login shell reads, /etc/profile and ~/.profile, sourced by the POSIX
 * shell that runs the command line, just before it.
 */
import { basename } from 'node:path';

const POSIX_SHELLS = new Set(['sh', 'dash', 'bash', 'ksh', 'mksh', 'ash', 'posh', 'yash']);

/** Whether the interpreter is `<POSIX shell> -c`, the only kind a profile can be sourced into. */
export function isPosixShellInterpreter(interpreter: readonly string[]): boolean {
  const [program, flag, ...rest] = interpreter;
  return program !== undefined && flag === '-c' && rest.length === 0 && POSIX_SHELLS.has(basename(program));
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Shell text to put before a command line. It is one line, so that the shell's error messages keep
 * the command's own line numbers (`sh: 1: foo: not found`). Each file is sourced with `command .`,
 * so that a syntax error in a profile is reported but does not end the command; the profiles' own
 * output goes nowhere and they read no input, as nothing a profile prints belongs to the command's
 * output. The Create request's variables are exported again afterwards, since the request's
 * Environment wins over the profile on Windows too (Debian's /etc/profile sets PATH outright).
 */
export function profilePrelude(requestVariables: Readonly<Record<string, string>>): string {
  const source = (file: string): string => `if [ -r ${file} ]; then command . ${file}; fi >/dev/null 2>&1 </dev/null; `;
  const exports = Object.entries(requestVariables)
    // Names a shell cannot assign (the Create request allows any) were never touched by a profile.
    .filter(([name]) => NAME.test(name))
    .map(([name, value]) => `export ${name}=${quote(value)}; `);
  return [source('/etc/profile'), source('"$HOME/.profile"'), ...exports].join('');
}
