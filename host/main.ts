/**
 * The shell host (winrmd's wsmprovhost): one process per (Linux account, winrmd user), started by
 * the listener (host/spawn-host.ts) already running as that account, owning that user's shells.
 * Its only link is the IPC channel on which it was started: when that closes (winrmd stopped or
 * died), it ends every process it started and exits, so that nothing outlives the listener.
 */
import { HostServer } from './host-server.js';
import type { FromHost, HostReady, ToHost } from './protocol.js';

function send(message: FromHost | HostReady): void {
  // A closed channel means the listener is gone; the 'disconnect' handler cleans up.
  if (process.connected) process.send?.(message);
}

const server = new HostServer(send);
let stopping = false;

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.closeAll();
  process.exit(0);
}

if (process.send === undefined) {
  process.stderr.write('winrmd shell host: start me through winrmd (I need its IPC channel)\n');
  process.exit(2);
}
process.on('message', (message: ToHost) => {
  server.handle(message);
});
process.on('disconnect', () => void stop());
// SIGTERM from winrmd's own shutdown: end the commands first, then exit.
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => {
  // Ctrl+C on winrmd's terminal reaches the whole foreground group; winrmd decides when we stop.
});
send({ ready: true, pid: process.pid });
