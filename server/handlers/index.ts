import { ACTION } from '../../protocol/wsman/actions.js';
import type { Handler } from './context.js';
import { createShell } from './create-shell.js';
import { deleteShell } from './delete-shell.js';
import { enumerateShells, pullShells, releaseShells } from './enumerate-shells.js';
import { getShell } from './get-shell.js';
import { receiveOutput } from './receive-output.js';
import { runCommand } from './run-command.js';
import { sendInput } from './send-input.js';
import { signalCommand } from './signal-command.js';

export type { Handler, HandlerContext, ServiceState } from './context.js';

/** Requests are dispatched on their Action; an action not here gets a:ActionNotSupported. */
export const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  [ACTION.create, createShell],
  [ACTION.delete, deleteShell],
  [ACTION.get, getShell],
  [ACTION.command, runCommand],
  [ACTION.send, sendInput],
  [ACTION.receive, receiveOutput],
  [ACTION.signal, signalCommand],
  [ACTION.enumerate, enumerateShells],
  [ACTION.pull, pullShells],
  [ACTION.release, releaseShells],
]);
