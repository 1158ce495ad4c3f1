import { WsmanFault } from '../../protocol/wsman/fault.js';
import type { Handler, HandlerContext } from './context.js';

/** A handler for the requests whose ResourceURI `matches` says is its resource. */
export interface ResourceRoute {
  readonly matches: (resourceUri: string | undefined) => boolean;
  readonly handler: Handler;
}

/**
 * WS-Transfer's Get and Put and WS-Enumeration's operations are verbs every resource shares, so
 * an Action alone does not say which handler answers: the ResourceURI does. The first matching
 * route answers; `fallback` answers the rest (the shell resources, which check their URI themselves).
 */
export function routeByResource(routes: readonly ResourceRoute[], fallback: Handler): Handler {
  return (ctx: HandlerContext) => {
    const route = routes.find((r) => r.matches(ctx.request.resourceUri));
    return (route?.handler ?? fallback)(ctx);
  };
}

/** For an action only some resources have: any other resource does not support it. */
export const actionNotSupported: Handler = (ctx) =>
  Promise.reject(new WsmanFault('actionNotSupported', [], `action ${ctx.request.action ?? ''} on ${ctx.request.resourceUri ?? '(none)'}`));
