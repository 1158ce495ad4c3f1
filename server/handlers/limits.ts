import type { Config } from '../../config/index.js';
import type { WsmanRequest } from '../../protocol/wsman/request.js';
import type { HandlerContext } from './context.js';

/** OperationTimeout as asked, never beyond Service.MaxTimeoutms, which is also the default. */
export function effectiveTimeoutMs(ctx: HandlerContext): number {
  const ceiling = ctx.service.config['Service.MaxTimeoutms'];
  return Math.min(ctx.request.operationTimeoutMs ?? ceiling, ceiling);
}

/** The largest response allowed: the client's MaxEnvelopeSize, within the service's own limit. */
export function effectiveMaxEnvelopeBytes(ctx: HandlerContext): number {
  return maxEnvelopeBytes(ctx.request, ctx.service.config);
}

/** The same limit for the dispatcher, which checks every reply before a handler's context exists. */
export function maxEnvelopeBytes(request: WsmanRequest, config: Config): number {
  const serviceLimit = config['Service.MaxEnvelopeSizekb'] * 1024;
  return Math.min(request.maxEnvelopeBytes ?? serviceLimit, serviceLimit);
}
