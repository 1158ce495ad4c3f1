import { randomUUID } from 'node:crypto';
import { WsmanFault } from '../../protocol/wsman/fault.js';
import { isTrue } from '../../protocol/winrs/send.js';
import { joinCommandLine, parseCommandLine, writeCommandResponse } from '../../protocol/winrs/command.js';
import { CommandLaunchError } from '../../shell/index.js';
import type { HandlerContext } from './context.js';
import { requireCmdShellResource, requireShell, withShellActivity } from './shell-lookup.js';

/** [MS-WSMV] 3.1.4.11 Command: start a process in the shell. */
export async function runCommand(ctx: HandlerContext): Promise<string> {
  requireCmdShellResource(ctx);
  const record = requireShell(ctx);
  const request = parseCommandLine(ctx.request.body);
  const limit = ctx.service.config['Winrs.MaxProcessesPerShell'];
  if (record.session.commandCount >= limit) throw new WsmanFault('commandQuota', [], `shell ${record.id} runs ${limit} commands`);
  const commandId = request.commandId ?? randomUUID().toUpperCase();
  if (record.session.command(commandId) !== undefined) throw new WsmanFault('invalidParameter', [], `CommandId ${commandId} in use`);
  const commandLine = joinCommandLine(request);
  return withShellActivity(record, async () => {
    try {
      const process = await record.session.startCommand(commandId, {
        commandLine,
        executable: request.command,
        args: request.args,
        skipInterpreter: isTrue(ctx.request.options.get('WINRS_SKIP_CMD_SHELL')),
      });
      ctx.log.info(
        { event: 'command-started', shellId: record.id, commandId, pid: process.pid, user: ctx.principal.name, commandLine },
        'command started',
      );
      return writeCommandResponse(commandId);
    } catch (error) {
      if (error instanceof CommandLaunchError) throw new WsmanFault('launchFailed', [], error.message);
      throw error;
    }
  });
}
