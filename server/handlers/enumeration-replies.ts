/**
 * WS-Enumeration's three operations over a snapshot of items, shared by every enumerable resource
 * (shells, listeners). Items are serialised elements; the registry keeps what is not yet pulled.
 */
import {
  parseEnumerate,
  parsePull,
  parseRelease,
  writeEnumerateResponse,
  writePullResponse,
  writeReleaseResponse,
} from '../../protocol/wsman/enumeration.js';
import { WsmanFault } from '../../protocol/wsman/fault.js';
import type { HandlerContext } from './context.js';

/** Enumerate: with w:OptimizeEnumeration the first items come at once, the rest through a context. */
export function answerEnumerate(ctx: HandlerContext, items: string[]): string {
  const request = parseEnumerate(ctx.request.body);
  if (request.hasFilter) throw new WsmanFault('filteringNotSupported');
  if (!request.optimize) return writeEnumerateResponse(ctx.service.enumerations.start(ctx.principal.name, items), undefined);
  const first = items.splice(0, batchSize(ctx, request.maxElements));
  const context = items.length === 0 ? undefined : ctx.service.enumerations.start(ctx.principal.name, items);
  return writeEnumerateResponse(context, first);
}

export function answerPull(ctx: HandlerContext): string {
  const request = parsePull(ctx.request.body);
  const page = ctx.service.enumerations.pull(request.context, ctx.principal.name, batchSize(ctx, request.maxElements));
  if (page === undefined) throw new WsmanFault('invalidEnumerationContext', [], `context ${request.context}`);
  return writePullResponse(page.ended ? undefined : request.context, page.items);
}

export function answerRelease(ctx: HandlerContext): string {
  const context = parseRelease(ctx.request.body);
  if (!ctx.service.enumerations.release(context, ctx.principal.name)) {
    throw new WsmanFault('invalidEnumerationContext', [], `context ${context}`);
  }
  return writeReleaseResponse();
}

/** MaxElements as asked, never beyond MaxBatchItems (read live: Put may change it). */
function batchSize(ctx: HandlerContext, maxElements: number): number {
  return Math.min(maxElements, ctx.service.config['Service.MaxBatchItems']);
}
