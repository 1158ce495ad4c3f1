/**
 * Issue 5's shell hosts: what an idle shell costs in memory (winrmd plus its host processes, RSS
 * from /proc) and how long creating a shell and running one command in it takes, with 1, 10 and
 * 100 shells at once. winrmd runs as its own process (bin/winrmd, built dist/) so that /proc sees
 * it and its hosts alone; the client is this process, over HTTPS with Basic. One user: its shells
 * share one host, so the 1-shell figure carries a whole host and larger counts share it.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { childrenOf, residentBytes } from '../test/support/proc-census.js';
import { startServer, type RunningServer, type TestUser } from '../test/support/server-process.js';
import { WsmanClient } from '../test/support/wsman-client.js';
import { benchWith } from './support/bench-with.js';

const USER: TestUser = { name: 'bencher', password: 'Bench-Pa55word!', groups: ['Administrators'] };
const COUNTS = [1, 10, 100] as const;

let server: RunningServer | undefined;
let client: WsmanClient | undefined;

function connected(): { server: RunningServer; client: WsmanClient } {
  if (server === undefined || client === undefined) throw new Error('winrmd did not start');
  return { server, client };
}

/** RSS of winrmd and its direct children (the shell hosts; idle shells run no command). */
function residentTotal(winrmd: number): number {
  return residentBytes(winrmd) + childrenOf(winrmd).reduce((sum, pid) => sum + residentBytes(pid), 0);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Creates a shell, runs `echo ok` in it to completion, deletes it. */
async function createAndRun(c: WsmanClient): Promise<void> {
  const shellId = await c.createShell({ noProfile: true });
  const result = await c.run(shellId, 'echo ok');
  if (result.stdout.toString() !== 'ok\n') throw new Error(`unexpected output ${JSON.stringify(result.stdout.toString())}`);
  await c.deleteShell(shellId);
}

beforeAll(async () => {
  server = await startServer({ users: [USER], sets: ['Winrs.MaxShellsPerUser=200'] });
  client = new WsmanClient({ url: `https://127.0.0.1:${server.httpsPort}/wsman`, user: USER.name, password: USER.password });
  // One shell and command first, so that the baseline includes what the first request loads.
  await createAndRun(client);
  // Let the host the warm-up started linger out, so that the baseline has none.
  await pause(3000);
  const { pid } = server;
  const c = client;
  const baseline = residentTotal(pid);
  const lines = [`Memory per idle shell (RSS of winrmd ${pid} and its shell hosts; baseline ${(baseline / 2 ** 20).toFixed(1)} MiB, no host):`];
  for (const count of COUNTS) {
    const shells = await Promise.all(Array.from({ length: count }, () => c.createShell({ noProfile: true })));
    await pause(500);
    const total = residentTotal(pid);
    lines.push(`  ${String(count).padStart(3)} shells: ${((total - baseline) / count / 1024).toFixed(0)} KiB per shell (${(total / 2 ** 20).toFixed(1)} MiB in all, ${childrenOf(pid).length} host)`);
    await Promise.all(shells.map((id) => c.deleteShell(id)));
    await pause(3000);
  }
  console.log(lines.join('\n'));
}, 120_000);

afterAll(async () => {
  client?.close();
  await server?.stop();
});

// Each run starts processes; a few warm-ups and a fixed count keep the file near 30 s on two cores.
const options = { time: 0, iterations: 10, warmupTime: 0, warmupIterations: 2 };

describe('Create a shell and run one command (echo) in it, N at once; one user, one host', () => {
  for (const count of COUNTS) {
    benchWith(
      `${count} at once`,
      async () => {
        const { server: s } = connected();
        // Each concurrent shell gets its own connection, as N separate clients would.
        const clients = Array.from({ length: count }, () => new WsmanClient({ url: `https://127.0.0.1:${s.httpsPort}/wsman`, user: USER.name, password: USER.password }));
        try {
          await Promise.all(clients.map((c) => createAndRun(c)));
        } finally {
          for (const c of clients) c.close();
        }
      },
      count === 100 ? { ...options, iterations: 3, warmupIterations: 1 } : options,
      { baseline: count === 1 },
    );
  }
});
