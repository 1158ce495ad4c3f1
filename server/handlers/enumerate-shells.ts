import { WsmanFault } from '../../protocol/wsman/fault.js';
import { writeShellElement } from '../../protocol/winrs/shell-create.js';
import { RESOURCE_URI } from '../../protocol/winrs/uris.js';
import type { HandlerContext } from './context.js';
import { describeShell } from './describe-shell.js';
import { answerEnumerate, answerPull, answerRelease } from './enumeration-replies.js';
import { isResource } from './shell-lookup.js';

/** [MS-WSMV] 3.1.4.8.2: enumerating shells lists the caller's own, never anyone else's. */
export function enumerateShells(ctx: HandlerContext): Promise<string> {
  requireShellListResource(ctx);
  const items = ctx.service.shells.listFor(ctx.principal.name).map((r) => writeShellElement(describeShell(r)));
  return Promise.resolve(answerEnumerate(ctx, items));
}

export function pullShells(ctx: HandlerContext): Promise<string> {
  requireShellListResource(ctx);
  return Promise.resolve(answerPull(ctx));
}

export function releaseShells(ctx: HandlerContext): Promise<string> {
  requireShellListResource(ctx);
  return Promise.resolve(answerRelease(ctx));
}

function requireShellListResource(ctx: HandlerContext): void {
  if (!isResource(ctx.request.resourceUri, RESOURCE_URI.anyShell, RESOURCE_URI.cmdShell)) {
    throw new WsmanFault('unknownResource', [ctx.request.resourceUri ?? ''], `resource ${ctx.request.resourceUri ?? '(none)'}`);
  }
}
