import { parseSend, writeSendResponse } from '../../protocol/winrs/send.js';
import { StdinClosedError } from '../../shell/index.js';
import { decodeInput } from '../stream-compression.js';
import type { HandlerContext } from './context.js';
import { requireCmdShellResource, requireCommand, requireShell, withShellActivity } from './shell-lookup.js';

/** [MS-WSMV] 3.1.4.13 Send: input for a command's stdin; End closes it. */
export async function sendInput(ctx: HandlerContext): Promise<string> {
  requireCmdShellResource(ctx);
  const record = requireShell(ctx);
  const streams = parseSend(ctx.request.body, ctx.cutOut);
  const inputLimit = ctx.service.config['Service.MaxEnvelopeSizekb'] * 1024 * 8;
  const targets = streams.map((s) => ({ stream: { ...s, data: decodeInput(record, s.data, inputLimit) }, command: requireCommand(record, s.commandId) }));
  await withShellActivity(record, async () => {
    for (const { stream, command } of targets) {
      try {
        if (stream.data.length > 0) await command.write(stream.data);
        // The last Send is answered once its input, and all before it, has been taken (or
        // refused), so that a failure of a write still in flight reaches the client.
        if (stream.end) await command.flushInput?.();
      } catch (error) {
        // A process that stopped reading (it exited, or closed stdin like `head -1`) takes no more
        // input; Windows drops such input too rather than failing the Send.
        if (!(error instanceof StdinClosedError)) throw error;
      }
      if (stream.end) command.endInput();
    }
  });
  return writeSendResponse();
}
