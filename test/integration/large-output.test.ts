/**
 * Large output reaches every client whole and in order while several stream at once: Receive
 * replies of 64 KB and more are written into memory that the listener uses again once a reply has
 * gone out (server/body-buffers.ts), so two users' replies must never share or overwrite it.
 * Large input too: Sends of 100 KB from two users at once reach each command exactly, though each
 * Send's body is read into the same kind of memory, given back once the request has been handled.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import { WsmanClient } from '../support/wsman-client.js';

const ALICE: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };
const BOB: TestUser = { name: 'bob', password: 'B0b-Pa55word!', groups: ['Administrators'] };

/** What `seq first last` prints. */
function seqOutput(first: number, last: number): string {
  const lines: string[] = [];
  for (let n = first; n <= last; n++) lines.push(String(n));
  return `${lines.join('\n')}\n`;
}

describe('large output and input, several clients at once', () => {
  let server: RunningServer | undefined;
  const clients: WsmanClient[] = [];

  beforeAll(async () => {
    server = await startServer({ users: [ALICE, BOB], runAsServiceAccount: true });
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.stop();
  });

  function clientFor(user: TestUser): WsmanClient {
    if (server === undefined) throw new Error('no server');
    const client = new WsmanClient({ url: `https://127.0.0.1:${server.httpsPort}/wsman`, user: user.name, password: user.password });
    clients.push(client);
    return client;
  }

  it('gives each of four concurrent commands, two users, exactly its own bytes', async () => {
    // About 1.3 MB each: a dozen Receive replies of ~150 KB (pywinrm's MaxEnvelopeSize) apiece.
    const runs = [
      { user: ALICE, first: 1, last: 200_000 },
      { user: BOB, first: 300_001, last: 500_000 },
      { user: ALICE, first: 600_001, last: 800_000 },
      { user: BOB, first: 900_001, last: 1_100_000 },
    ];
    const outputs = await Promise.all(
      runs.map(async ({ user, first, last }) => {
        const client = clientFor(user);
        const shellId = await client.createShell();
        const result = await client.run(shellId, `seq ${first} ${last}`);
        await client.deleteShell(shellId);
        return result;
      }),
    );
    outputs.forEach((result, index) => {
      const run = runs[index];
      if (run === undefined) throw new Error('no run');
      expect(result.exitCode).toBe(0);
      expect(result.stdout.toString('latin1') === seqOutput(run.first, run.last)).toBe(true);
    });
  }, 120_000);

  it('gives a command its stdin exactly, Sends of 100 KB from two users at once', async () => {
    const runs = [ALICE, BOB].map(async (user) => {
      const client = clientFor(user);
      const shellId = await client.createShell();
      const commandId = await client.runCommand(shellId, 'sha256sum', [], false);
      const input = randomBytes(1_000_000);
      for (let at = 0; at < input.length; at += 100_000) {
        const piece = input.subarray(at, at + 100_000);
        await client.send(shellId, commandId, piece, at + piece.length >= input.length);
      }
      const result = await client.receiveAll(shellId, commandId);
      await client.signal(shellId, commandId, 'terminate');
      await client.deleteShell(shellId);
      return { input, printed: result.stdout.toString('latin1') };
    });
    for (const { input, printed } of await Promise.all(runs)) {
      expect(printed.split(' ')[0]).toBe(createHash('sha256').update(input).digest('hex'));
    }
  }, 120_000);
});
