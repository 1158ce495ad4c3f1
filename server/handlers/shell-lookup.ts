import { WsmanFault } from '../../protocol/wsman/fault.js';
import { RESOURCE_URI } from '../../protocol/winrs/uris.js';
import type { CommandHandle } from '../../shell/index.js';
import type { ShellRecord } from '../shell-registry.js';
import type { HandlerContext } from './context.js';

/** Windows compares resource URIs without regard to case. */
export function isResource(actual: string | undefined, ...expected: string[]): boolean {
  const lower = actual?.toLowerCase();
  return expected.some((e) => e.toLowerCase() === lower);
}

/** The cmd shell resource is the only WinRS plugin winrmd has (PSRP comes later). */
export function requireCmdShellResource(ctx: HandlerContext): void {
  if (ctx.request.resourceUri === undefined) throw new WsmanFault('missingHeader', [], 'no ResourceURI header');
  if (!isResource(ctx.request.resourceUri, RESOURCE_URI.cmdShell)) {
    throw new WsmanFault('unknownResource', [ctx.request.resourceUri], `resource ${ctx.request.resourceUri}`);
  }
}

/** The caller's shell named by the ShellId selector; the same fault whether absent or foreign. */
export function requireShell(ctx: HandlerContext): ShellRecord {
  const shellId = ctx.request.selectors.get('shellid');
  if (shellId === undefined || shellId === '') throw new WsmanFault('missingSelector', [], 'no ShellId selector');
  const record = ctx.service.shells.find(shellId, ctx.principal.name);
  if (record === undefined) throw new WsmanFault('unknownShell', [shellId], `shell ${shellId} for ${ctx.principal.name}`);
  return record;
}

export function requireCommand(record: ShellRecord, commandId: string | undefined): CommandHandle {
  if (commandId === undefined || commandId === '') throw new WsmanFault('unknownCommand', [], 'no CommandId');
  const command = record.session.command(commandId);
  if (command === undefined) throw new WsmanFault('unknownCommand', [], `command ${commandId}`);
  return command;
}

/** Runs a shell operation counted as activity, so that idle timeouts never cut a request short. */
export async function withShellActivity<T>(record: ShellRecord, work: () => Promise<T>): Promise<T> {
  record.activeRequests += 1;
  record.lastActivityMs = Date.now();
  try {
    return await work();
  } finally {
    record.activeRequests -= 1;
    record.lastActivityMs = Date.now();
  }
}
