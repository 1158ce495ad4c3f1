import { parseSignal, writeSignalResponse } from '../../protocol/winrs/signal.js';
import type { HandlerContext } from './context.js';
import { requireCmdShellResource, requireCommand, requireShell, withShellActivity } from './shell-lookup.js';

/** [MS-WSMV] 3.1.4.12 Signal: ctrl_c, ctrl_break, or terminate (which also frees the CommandId). */
export async function signalCommand(ctx: HandlerContext): Promise<string> {
  requireCmdShellResource(ctx);
  const record = requireShell(ctx);
  const request = parseSignal(ctx.request.body);
  const command = requireCommand(record, request.commandId);
  await withShellActivity(record, async () => {
    if (request.signal === 'terminate') {
      await record.session.removeCommand(command.id);
    } else {
      command.signal(request.signal);
    }
  });
  ctx.log.info({ event: 'command-signalled', shellId: record.id, commandId: command.id, signal: request.signal }, 'command signalled');
  return writeSignalResponse();
}
