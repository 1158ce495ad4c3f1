/**
 * The WSMan operation names WinRM's events use for client requests. Only the requests that change
 * state are recorded (event 81): a Receive loop polls many times a second and would bury them.
 * "CreateShell" is how Windows names a Create on a shell resource; the other names follow WSMan's
 * own operation names and are not confirmed against a captured event.
 */
import { ACTION } from '../protocol/wsman/actions.js';

const RECORDED: ReadonlyMap<string, string> = new Map([
  [ACTION.create, 'CreateShell'],
  [ACTION.delete, 'DeleteShell'],
  [ACTION.command, 'Command'],
  [ACTION.signal, 'Signal'],
]);

export function recordedOperation(action: string): string | undefined {
  return RECORDED.get(action);
}

/** The action's last path segment (Create, Receive...), a bounded label for metrics. */
export function actionLabel(action: string | undefined): string {
  if (action === undefined || action === '') return 'none';
  const last = action.slice(action.lastIndexOf('/') + 1);
  return /^[A-Za-z]{1,40}$/.test(last) ? last : 'other';
}
