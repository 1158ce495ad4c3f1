import { configTreePath, isListenerResource } from '../../protocol/config/uris.js';
import { ACTION } from '../../protocol/wsman/actions.js';
import { getListener, enumerateListeners, pullListeners, releaseListeners } from './config-listeners.js';
import type { Handler } from './context.js';
import { createShell } from './create-shell.js';
import { deleteShell } from './delete-shell.js';
import { enumerateShells, pullShells, releaseShells } from './enumerate-shells.js';
import { getConfig } from './get-config.js';
import { getShell } from './get-shell.js';
import { putConfig } from './put-config.js';
import { receiveOutput } from './receive-output.js';
import { actionNotSupported, routeByResource, type ResourceRoute } from './resource-routes.js';
import { runCommand } from './run-command.js';
import { sendInput } from './send-input.js';
import { signalCommand } from './signal-command.js';

export type { Handler, HandlerContext, ServiceState } from './context.js';

const isConfigTree = (uri: string | undefined): boolean => configTreePath(uri) !== undefined;
const onListeners = (handler: Handler): ResourceRoute => ({ matches: isListenerResource, handler });

/**
 * Requests are dispatched on their Action, and the verbs several resources share (Get, Put,
 * Enumerate, Pull, Release) then on their ResourceURI; an action not here gets a:ActionNotSupported.
 */
export const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  [ACTION.create, createShell],
  [ACTION.delete, deleteShell],
  [ACTION.get, routeByResource([{ matches: isConfigTree, handler: getConfig }, onListeners(getListener)], getShell)],
  [ACTION.put, routeByResource([{ matches: isConfigTree, handler: putConfig }], actionNotSupported)],
  [ACTION.command, runCommand],
  [ACTION.send, sendInput],
  [ACTION.receive, receiveOutput],
  [ACTION.signal, signalCommand],
  [ACTION.enumerate, routeByResource([onListeners(enumerateListeners)], enumerateShells)],
  [ACTION.pull, routeByResource([onListeners(pullListeners)], pullShells)],
  [ACTION.release, routeByResource([onListeners(releaseListeners)], releaseShells)],
]);
