import { WsmanFault } from '../../protocol/wsman/fault.js';
import { writeShellElement } from '../../protocol/winrs/shell-create.js';
import { RESOURCE_URI } from '../../protocol/winrs/uris.js';
import type { HandlerContext } from './context.js';
import { describeShell } from './describe-shell.js';
import { isResource, requireShell } from './shell-lookup.js';

/** Get on a shell: its description, as pypsrp's is_alive asks for it. */
export function getShell(ctx: HandlerContext): Promise<string> {
  if (!isResource(ctx.request.resourceUri, RESOURCE_URI.anyShell, RESOURCE_URI.cmdShell)) {
    throw new WsmanFault('unknownResource', [ctx.request.resourceUri ?? ''], `resource ${ctx.request.resourceUri ?? '(none)'}`);
  }
  return Promise.resolve(writeShellElement(describeShell(requireShell(ctx))));
}
