import { writeListener, type ListenerDescription } from '../../protocol/config/listener-xml.js';
import { WsmanFault } from '../../protocol/wsman/fault.js';
import { requireAdministrator } from './config-access.js';
import type { HandlerContext } from './context.js';
import { answerEnumerate, answerPull, answerRelease } from './enumeration-replies.js';

/** Enumerate on `.../config/listener`: one cfg:Listener per running listener. */
export function enumerateListeners(ctx: HandlerContext): Promise<string> {
  requireAdministrator(ctx);
  return Promise.resolve(answerEnumerate(ctx, ctx.service.listeners.map(writeListener)));
}

export function pullListeners(ctx: HandlerContext): Promise<string> {
  requireAdministrator(ctx);
  return Promise.resolve(answerPull(ctx));
}

export function releaseListeners(ctx: HandlerContext): Promise<string> {
  requireAdministrator(ctx);
  return Promise.resolve(answerRelease(ctx));
}

/** Get on `.../config/listener` with the Address and Transport selectors (`Address=*`, `Transport=HTTPS`). */
export function getListener(ctx: HandlerContext): Promise<string> {
  requireAdministrator(ctx);
  const address = ctx.request.selectors.get('address');
  const transport = ctx.request.selectors.get('transport');
  if (address === undefined || transport === undefined) throw new WsmanFault('missingSelector', [], 'Address and Transport selectors');
  const listener = ctx.service.listeners.find((l) => matches(l, address, transport));
  if (listener === undefined) throw new WsmanFault('resourceNotFound', [], `listener ${address} ${transport}`);
  return Promise.resolve(writeListener(listener));
}

/** Windows compares both selectors without regard to case (`IP:...`, `https`). */
function matches(listener: ListenerDescription, address: string, transport: string): boolean {
  return listener.address.toLowerCase() === address.trim().toLowerCase() && listener.transport.toLowerCase() === transport.trim().toLowerCase();
}
