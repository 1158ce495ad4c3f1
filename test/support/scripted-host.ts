/**
 * A command proxy (host/remote-shell.ts) whose shell host is the test itself: `sent` holds what
 * the proxy asked of the host, and `answer` replies to one of those messages.
 */
import { HostClient } from '../../host/host-client.js';
import type { ToHost } from '../../host/protocol.js';
import { DEFAULT_DEADLINES, RemoteShell, type ProxyDeadlines } from '../../host/remote-shell.js';
import type { CommandHandle } from '../../shell/types.js';

export const SHELL_SETTINGS = { workingDirectory: '/', environment: {}, interpreter: ['/bin/sh', '-c'], maxBufferedBytes: 1 << 20 };
const LAUNCH = { commandLine: 'x', executable: 'x', args: [], skipInterpreter: false };

export interface ScriptedCommand {
  readonly shell: RemoteShell;
  readonly command: CommandHandle;
  readonly client: HostClient;
  readonly sent: ToHost[];
  readonly answer: (message: ToHost | undefined, value: unknown) => void;
}

export async function scriptedCommand(deadlines: ProxyDeadlines = DEFAULT_DEADLINES): Promise<ScriptedCommand> {
  const sent: ToHost[] = [];
  const client = new HostClient((message) => {
    sent.push(message);
  });
  const answer = (message: ToHost | undefined, value: unknown): void => {
    if (message === undefined) throw new Error('nothing was sent');
    // The scripted host answers whatever it is asked; the value's type is the test's to get right.
    client.receive({ id: message.id, ok: true, value: value as undefined });
  };
  const opening = RemoteShell.open('S', SHELL_SETTINGS, client, deadlines);
  answer(sent[0], undefined);
  const shell = await opening;
  const starting = shell.startCommand('C', LAUNCH);
  answer(sent[1], { pid: 4321 });
  return { shell, command: await starting, client, sent, answer };
}
