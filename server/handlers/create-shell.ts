import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { WsmanFault } from '../../protocol/wsman/fault.js';
import { parseShellCreate, writeShellCreated } from '../../protocol/winrs/shell-create.js';
import { RESOURCE_URI } from '../../protocol/winrs/uris.js';
import type { RemoteShell } from '../../host/remote-shell.js';
import type { ShellRecord } from '../shell-registry.js';
import { requestedCompression } from '../stream-compression.js';
import type { HandlerContext } from './context.js';
import { describeShell } from './describe-shell.js';
import { loginPrelude, shellAccountFor } from './shell-account.js';
import { requireCmdShellResource } from './shell-lookup.js';

/** [MS-WSMV] 3.1.4.5 Create on the cmd shell resource: a new, empty shell. */
export async function createShell(ctx: HandlerContext): Promise<string> {
  requireCmdShellResource(ctx);
  const { config, shells } = ctx.service;
  if (!config['Winrs.AllowRemoteShellAccess']) throw new WsmanFault('accessDenied', [], 'Winrs.AllowRemoteShellAccess is false');
  const create = parseShellCreate(ctx.request.body);
  const compression = requestedCompression(ctx.request.compressionType);
  // Before the directory check, so that a refused user learns nothing about the file system.
  const account = await shellAccountFor(ctx);
  const workingDirectory = await resolveWorkingDirectory(create.workingDirectory, account.homeDirectory);
  // Checked after the last await and reserved at once, so that concurrent Creates cannot both pass.
  shells.checkQuota(ctx.principal.name);
  const shellId = create.shellId ?? newShellId();
  if (shells.has(shellId)) throw new WsmanFault('invalidParameter', [], `ShellId ${shellId} is in use`);
  const interpreter = config['Winrmd.CommandInterpreter'].split(/\s+/).filter((s) => s !== '');
  const requestVariables = Object.fromEntries(create.environment);
  const settings = {
    workingDirectory,
    environment: { ...account.environment, ...requestVariables },
    interpreter,
    maxBufferedBytes: config['Winrmd.MaxBufferedOutputkb'] * 1024,
    commandPrelude: loginPrelude(account, interpreter, ctx.request.options, requestVariables),
  };
  const release = shells.reserve(shellId, ctx.principal.name);
  let session: RemoteShell;
  try {
    // The user's shell host (started now if this is their first shell) owns the shell's processes.
    session = await ctx.service.hosts.openShell({ user: ctx.principal.name, uid: account.uid, runAs: account.runAs }, shellId, settings);
  } finally {
    release();
  }
  const nowMs = Date.now();
  const record: ShellRecord = {
    id: shellId,
    owner: ctx.principal.name,
    clientIp: ctx.clientIp,
    resourceUri: RESOURCE_URI.cmdShell,
    name: create.name,
    inputStreams: create.inputStreams,
    outputStreams: create.outputStreams,
    compression,
    // The client may ask for less than the service allows, never more.
    idleTimeoutMs: Math.min(create.idleTimeoutMs ?? Infinity, config['Winrs.IdleTimeout']),
    lifetimeMs: Math.min(create.lifetimeMs ?? Infinity, config['Winrs.MaxShellRunTime']),
    createdMs: nowMs,
    lastActivityMs: nowMs,
    activeRequests: 0,
    session,
  };
  shells.add(record);
  if (session.hostIsDead) {
    // The host died between opening the shell and this add, so its death notice found no record.
    await shells.delete(shellId, 'shell host ended');
    throw new WsmanFault('hostFailed', [], `the shell host of ${ctx.principal.name} ended while ${shellId} was created`);
  }
  ctx.log.info(
    { event: 'shell-created', shellId, user: ctx.principal.name, osUser: account.osUser, uid: account.uid, remoteAddress: ctx.clientIp, resourceUri: record.resourceUri },
    'shell created',
  );
  ctx.service.observer.notify({ kind: 'shell-created', connectionId: ctx.connectionId, user: ctx.principal.name, shellId, resourceUri: record.resourceUri });
  return writeShellCreated(ctx.endpointAddress, describeShell(record));
}

/**
 * Windows issues ShellIds as upper-case GUIDs, and clients expect that form, so a ShellId is a
 * random (version 4) UUID: 122 random bits from the CSPRNG rather than the 128, since the
 * other 6 are the GUID's version and variant. Unguessable either way; another user's id is
 * answered exactly like a missing one (shell-lookup.ts).
 */
export function newShellId(): string {
  return randomUUID().toUpperCase();
}

async function resolveWorkingDirectory(requested: string | undefined, fallback: string): Promise<string> {
  if (requested === undefined || requested === '') return fallback;
  const isDirectory = isAbsolute(requested) && (await stat(requested).then((s) => s.isDirectory(), () => false));
  if (!isDirectory) throw new WsmanFault('invalidDirectory', [], `WorkingDirectory ${requested}`);
  return requested;
}
