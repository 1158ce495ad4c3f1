import type { Config } from '../../config/index.js';
import { receiveResponseOverhead } from '../../protocol/winrs/receive.js';
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

/** Room for the envelope's headers and namespace declarations around the ReceiveResponse. */
const ENVELOPE_HEADER_BYTES = 2048;

/**
 * How much output fits in the reply to a Receive of this request's MaxEnvelopeSize, and what each
 * Stream element's tags cost of it (in output bytes).
 */
export function receiveBudget(ctx: HandlerContext, commandId: string): { maxBytes: number; chunkOverheadBytes: number } {
  const envelopeBytes = effectiveMaxEnvelopeBytes(ctx);
  const available = envelopeBytes - ENVELOPE_HEADER_BYTES - receiveResponseOverhead(commandId, 2);
  // Base64 turns 3 bytes into 4; each extra Stream element costs its tags, charged per chunk.
  const maxBytes = Math.max(1, Math.floor(available / 4) * 3);
  const chunkOverheadBytes = Math.ceil((receiveResponseOverhead(commandId, 1) - receiveResponseOverhead(commandId, 0)) * 0.75) + 3;
  return { maxBytes, chunkOverheadBytes };
}
