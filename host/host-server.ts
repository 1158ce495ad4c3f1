/**
 * The shell host's side of the channel: one account's shells (ShellSession) and their commands,
 * driven by the listener's requests. It knows nothing of SOAP; errors go back as WireErrors.
 */
import { CommandIdInUseError, CommandLaunchError, ReceiveBusyError, StdinClosedError } from '../shell/errors.js';
import { ConsolePool } from '../shell/console-pool.js';
import { ShellSession } from '../shell/shell-session.js';
import { StandbyPool } from '../shell/standby-pool.js';
import type { CommandProcess } from '../shell/command-process.js';
import { UnknownTargetError } from './errors.js';
import { asBuffers, type FromHost, type HostOperation, type HostResults, type ToHost, type WireError } from './protocol.js';

export class HostServer {
  private readonly shells = new Map<string, ShellSession>();
  /** Waiting Receives by request id, so that a cancel can end one and a hurry rush a patient one. */
  private readonly receives = new Map<number, { readonly cancel: AbortController; readonly hurry: AbortController | undefined }>();
  /** A console set up ahead for the next console Command of any of this account's shells. */
  private readonly consoles = new ConsolePool();
  /** A process started ahead for the next shell of the kind this account's shells have been. */
  private readonly standbys = new StandbyPool();

  constructor(private readonly reply: (message: FromHost) => void) {}

  handle(message: ToHost): void {
    if (message.op === 'cancel') {
      this.receives.get(message.id)?.cancel.abort();
      return;
    }
    if (message.op === 'hurry') {
      this.receives.get(message.id)?.hurry?.abort();
      return;
    }
    const { id } = message;
    this.run(message, id).then(
      (value) => {
        this.reply({ id, ok: true, value });
      },
      (error: unknown) => {
        this.reply({ id, ok: false, error: toWire(error) });
      },
    );
  }

  /** Ends every shell's processes (the listener went away, or asked the host to stop). */
  async closeAll(): Promise<void> {
    const shells = [...this.shells.values()];
    this.shells.clear();
    this.consoles.release();
    await Promise.all([...shells.map((shell) => shell.close()), this.standbys.close()]);
  }

  private async run(request: HostOperation, id: number): Promise<HostResults[keyof HostResults]> {
    switch (request.op) {
      case 'openShell':
        if (this.shells.has(key(request.shellId))) throw new Error(`shell ${request.shellId} exists`);
        this.shells.set(key(request.shellId), new ShellSession(request.shellId, request.settings, this.consoles, this.standbys));
        return undefined;
      case 'closeShell': {
        const shell = this.shells.get(key(request.shellId));
        this.shells.delete(key(request.shellId));
        if (this.shells.size === 0) this.consoles.release();
        await shell?.close();
        return undefined;
      }
      case 'startCommand': {
        const command = await this.shell(request.shellId).startCommand(request.commandId, request.launch);
        return { pid: command.pid };
      }
      case 'removeCommand':
        await this.shell(request.shellId).removeCommand(request.commandId);
        return undefined;
      case 'write':
        await this.command(request.shellId, request.commandId).write(request.data);
        return undefined;
      case 'endInput':
        this.command(request.shellId, request.commandId).endInput();
        return undefined;
      case 'signal':
        this.command(request.shellId, request.commandId).signal(request.signal);
        return undefined;
      case 'unreceive':
        // A command removed meanwhile has nobody to deliver the output to.
        this.shell(request.shellId).command(request.commandId)?.restore(asBuffers(request.output));
        return undefined;
      case 'receive': {
        const command = this.command(request.shellId, request.commandId);
        const waiting = { cancel: new AbortController(), hurry: request.patient === true ? new AbortController() : undefined };
        this.receives.set(id, waiting);
        try {
          return await command.receive(new Set(request.streams), request.maxBytes, waiting.cancel.signal, request.runOverheadBytes, waiting.hurry?.signal);
        } finally {
          this.receives.delete(id);
        }
      }
    }
  }

  private shell(shellId: string): ShellSession {
    const shell = this.shells.get(key(shellId));
    if (shell === undefined) throw new UnknownTargetError('shell', shellId);
    return shell;
  }

  private command(shellId: string, commandId: string): CommandProcess {
    const command = this.shell(shellId).command(commandId);
    if (command === undefined) throw new UnknownTargetError('command', commandId);
    return command;
  }
}

/** Only the errors a client may see keep their message; anything else stays in the host. */
function toWire(error: unknown): WireError {
  if (error instanceof CommandLaunchError) return { name: error.name, code: error.code, message: error.message };
  if (error instanceof UnknownTargetError) return { name: error.name, code: error.target, target: error.targetId, message: error.message };
  if (error instanceof CommandIdInUseError) return { name: error.name, target: error.commandId, message: error.message };
  if (error instanceof StdinClosedError || error instanceof ReceiveBusyError) return { name: error.name, message: error.message };
  return { name: 'Error', message: error instanceof Error ? error.message : String(error) };
}

function key(id: string): string {
  return id.toLowerCase();
}
