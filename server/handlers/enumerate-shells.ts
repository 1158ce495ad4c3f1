import {
  parseEnumerate,
  parsePull,
  parseRelease,
  writeEnumerateResponse,
  writePullResponse,
  writeReleaseResponse,
} from '../../protocol/wsman/enumeration.js';
import { WsmanFault } from '../../protocol/wsman/fault.js';
import { writeShellElement } from '../../protocol/winrs/shell-create.js';
import { RESOURCE_URI } from '../../protocol/winrs/uris.js';
import type { HandlerContext } from './context.js';
import { describeShell } from './describe-shell.js';
import { isResource } from './shell-lookup.js';

/** [MS-WSMV] 3.1.4.8.2: enumerating shells lists the caller's own, never anyone else's. */
export function enumerateShells(ctx: HandlerContext): Promise<string> {
  requireShellListResource(ctx);
  const request = parseEnumerate(ctx.request.body);
  if (request.hasFilter) throw new WsmanFault('filteringNotSupported');
  const items = ctx.service.shells.listFor(ctx.principal.name).map((r) => writeShellElement(describeShell(r)));
  if (!request.optimize) {
    return Promise.resolve(writeEnumerateResponse(ctx.service.enumerations.start(ctx.principal.name, items), undefined));
  }
  const first = items.splice(0, request.maxElements);
  const context = items.length === 0 ? undefined : ctx.service.enumerations.start(ctx.principal.name, items);
  return Promise.resolve(writeEnumerateResponse(context, first));
}

export function pullShells(ctx: HandlerContext): Promise<string> {
  requireShellListResource(ctx);
  const request = parsePull(ctx.request.body);
  const page = ctx.service.enumerations.pull(request.context, ctx.principal.name, request.maxElements);
  if (page === undefined) throw new WsmanFault('invalidEnumerationContext', [], `context ${request.context}`);
  return Promise.resolve(writePullResponse(page.ended ? undefined : request.context, page.items));
}

export function releaseShells(ctx: HandlerContext): Promise<string> {
  requireShellListResource(ctx);
  const context = parseRelease(ctx.request.body);
  if (!ctx.service.enumerations.release(context, ctx.principal.name)) {
    throw new WsmanFault('invalidEnumerationContext', [], `context ${context}`);
  }
  return Promise.resolve(writeReleaseResponse());
}

function requireShellListResource(ctx: HandlerContext): void {
  if (!isResource(ctx.request.resourceUri, RESOURCE_URI.anyShell, RESOURCE_URI.cmdShell)) {
    throw new WsmanFault('unknownResource', [], `resource ${ctx.request.resourceUri ?? '(none)'}`);
  }
}
