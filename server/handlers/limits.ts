import type { HandlerContext } from './context.js';

/** OperationTimeout as asked, never beyond Service.MaxTimeoutms, which is also the default. */
export function effectiveTimeoutMs(ctx: HandlerContext): number {
  const ceiling = ctx.service.config['Service.MaxTimeoutms'];
  return Math.min(ctx.request.operationTimeoutMs ?? ceiling, ceiling);
}

/** The largest response allowed: the client's MaxEnvelopeSize, within the service's own limit. */
export function effectiveMaxEnvelopeBytes(ctx: HandlerContext): number {
  const serviceLimit = ctx.service.config['Service.MaxEnvelopeSizekb'] * 1024;
  return Math.min(ctx.request.maxEnvelopeBytes ?? serviceLimit, serviceLimit);
}
