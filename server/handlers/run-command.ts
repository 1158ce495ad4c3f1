import { randomUUID } from 'node:crypto';
import { WsmanFault } from '../../protocol/wsman/fault.js';
import { isTrue } from '../../protocol/winrs/send.js';
import { joinCommandLine, parseCommandLine, writeCommandResponse } from '../../protocol/winrs/command.js';
import { CommandIdInUseError, CommandLaunchError, parseRuleNames, planLaunch, type OutputStreamName } from '../../shell/index.js';
import type { HandlerContext } from './context.js';
import { receiveBudget } from './limits.js';
import { requireCmdShellResource, requireShell, withShellActivity } from './shell-lookup.js';

const BOTH_STREAMS: ReadonlySet<OutputStreamName> = new Set(['stdout', 'stderr']);

/**
 * [MS-WSMV] 3.1.4.11 Command: start a process in the shell. The command line goes through the
 * Windows command mapping (Winrmd.CommandMapping) first, so that `powershell -EncodedCommand ...`
 * and `cmd /c ...` mean on Linux what they mean on Windows.
 */
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
      const { config } = ctx.service;
      const planned = await planLaunch(
        {
          commandLine,
          executable: request.command,
          args: request.args,
          skipInterpreter: isTrue(ctx.request.options.get('WINRS_SKIP_CMD_SHELL')),
          // Absent means a pipe: the clients that want a console (pywinrm, masterzen/winrm) say
          // TRUE on every Command, and one that says nothing gets the stdin that takes any bytes.
          console: isTrue(ctx.request.options.get('WINRS_CONSOLEMODE_STDIN')),
        },
        {
          rules: parseRuleNames(config['Winrmd.CommandMapping']).rules,
          powerShellPath: config['Service.PowerShellPath'],
          environment: record.session.settings.environment,
        },
      );
      const process = await record.session.startCommand(commandId, planned.launch);
      // Clients ask for both streams in envelopes the size of their Command's: the host can answer
      // that Receive while the client is still reading this reply.
      const { maxBytes, chunkOverheadBytes } = receiveBudget(ctx, commandId);
      process.expectReceive?.(BOTH_STREAMS, maxBytes, chunkOverheadBytes);
      const mapping = planned.rules.length === 0 ? undefined : planned.rules.join('>');
      // The command line reaches the log only inside the 4688 event, with its secrets redacted.
      ctx.log.info({ event: 'command-started', shellId: record.id, commandId, pid: process.pid, user: ctx.principal.name, mapping }, 'command started');
      const { launch } = planned;
      const program = launch.argv?.[0] ?? (launch.skipInterpreter ? launch.executable : (record.session.settings.interpreter[0] ?? ''));
      const { connectionId } = ctx;
      ctx.service.observer.notify({ kind: 'command-started', connectionId, user: ctx.principal.name, shellId: record.id, commandId, pid: process.pid, program, commandLine });
      return writeCommandResponse(commandId);
    } catch (error) {
      if (error instanceof CommandLaunchError) throw new WsmanFault('launchFailed', [], error.message);
      // A second Command with the same CommandId while the first was still starting.
      if (error instanceof CommandIdInUseError) throw new WsmanFault('invalidParameter', [], `CommandId ${commandId} in use`);
      throw error;
    }
  });
}
