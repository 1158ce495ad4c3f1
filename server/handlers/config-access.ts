import { isAdministrator } from '../../auth/authorize.js';
import { WsmanFault } from '../../protocol/wsman/fault.js';
import type { HandlerContext } from './context.js';

/**
 * The configuration resources are for Administrators, as on Windows: anyone else gets access
 * denied (code 5), which the Ruby WinRM gem expects of a non-administrator's MaxEnvelopeSizekb
 * Get and answers by falling back to its default.
 */
export function requireAdministrator(ctx: HandlerContext): void {
  if (!isAdministrator(ctx.principal.groups)) {
    throw new WsmanFault('accessDenied', [], `${ctx.principal.name} is not an administrator (${ctx.request.resourceUri ?? ''})`);
  }
}
