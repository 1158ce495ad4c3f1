/**
 * The commands of one shell by CommandId, as both the shell in the host (ShellSession) and its proxy
 * in the listener (host/remote-shell.ts) keep them. Keyed by the lower-cased id, since clients may
 * echo a GUID back in another case than it was issued in; an id is reserved while its process
 * starts, so a second start with the same id fails at once.
 */
import { CommandIdInUseError } from './errors.js';

export class CommandTable<C extends { readonly isFinished: boolean }> {
  private readonly commands = new Map<string, C>();
  private readonly starting = new Set<string>();

  constructor(private readonly shellId: string) {}

  /** Commands whose exit code has not yet been handed out. */
  get unfinishedCount(): number {
    let count = 0;
    for (const command of this.commands.values()) if (!command.isFinished) count += 1;
    return count;
  }

  get(id: string): C | undefined {
    return this.commands.get(keyOf(id));
  }

  all(): C[] {
    return [...this.commands.values()];
  }

  /** Reserves `id` for a command being started; throws if it is taken. Call the result when done. */
  reserve(id: string): () => void {
    const key = keyOf(id);
    if (this.commands.has(key) || this.starting.has(key)) throw new CommandIdInUseError(id, this.shellId);
    this.starting.add(key);
    return () => this.starting.delete(key);
  }

  set(id: string, command: C): void {
    this.commands.set(keyOf(id), command);
  }

  /** Forgets the command and hands it back; undefined for an unknown id. */
  take(id: string): C | undefined {
    const key = keyOf(id);
    const command = this.commands.get(key);
    this.commands.delete(key);
    return command;
  }

  /** Forgets every command and hands them back. */
  takeAll(): C[] {
    const commands = this.all();
    this.commands.clear();
    return commands;
  }
}

function keyOf(id: string): string {
  return id.toLowerCase();
}
