/**
 * The account part of a Create: which Linux account the new shell runs as, refused with Access
 * Denied (as Windows refuses a logon it cannot perform) when the user has no usable one, and the
 * login profile that WINRS_NOPROFILE controls.
 */
import { isPosixShellInterpreter, profilePrelude } from '../../accounts/index.js';
import { isTrue } from '../../protocol/winrs/send.js';
import { WsmanFault } from '../../protocol/wsman/fault.js';
import type { ShellAccount } from '../shell-accounts.js';
import type { HandlerContext } from './context.js';

/** The caller's account, or an accessDenied fault (code 5) after logging why. */
export async function shellAccountFor(ctx: HandlerContext): Promise<ShellAccount> {
  const decision = await ctx.service.accounts.forUser(ctx.principal.name);
  if (decision.kind === 'allow') return decision.account;
  ctx.log.warn(
    { event: 'access-denied', user: ctx.principal.name, osUser: decision.osUser, remoteAddress: ctx.clientIp, reason: decision.reason },
    'refused a shell: the user has no Linux account it can run as',
  );
  throw new WsmanFault('accessDenied', [], decision.reason);
}

/**
 * The profile to source before each command line: with WINRS_NOPROFILE absent or FALSE (the
 * default, as on Windows), for a per-user account, when the interpreter is a POSIX shell.
 */
export function loginPrelude(
  account: ShellAccount,
  interpreter: readonly string[],
  options: ReadonlyMap<string, string>,
  requestVariables: Readonly<Record<string, string>>,
): string | undefined {
  if (!account.loginProfile || isTrue(options.get('WINRS_NOPROFILE')) || !isPosixShellInterpreter(interpreter)) return undefined;
  return profilePrelude(requestVariables);
}
