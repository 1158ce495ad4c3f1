import type { HandlerContext } from './context.js';
import { requireCmdShellResource, requireShell } from './shell-lookup.js';

/** [MS-WSMV] 3.1.4.7 Delete: end the shell and every process in it. */
export async function deleteShell(ctx: HandlerContext): Promise<string> {
  requireCmdShellResource(ctx);
  const record = requireShell(ctx);
  await ctx.service.shells.delete(record.id, 'deleted by client');
  return '';
}
