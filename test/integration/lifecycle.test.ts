/**
 * What happens around the requests: shells that are abandoned or outlive the service leave no
 * process behind, and failed logons are logged without their password and slowed down.
 */
import { describe, expect, it } from 'vitest';
import { eventually, expectWsmanFault, isAlive } from '../support/expect-helpers.js';
import { startServer, type TestUser } from '../support/server-process.js';
import { WsmanClient } from '../support/wsman-client.js';

const ADMIN: TestUser = { name: 'carol', password: 'Carol-Pa55word!', groups: ['Administrators'] };

/** Starts `sh -c 'echo $$; exec sleep 100'` and returns the pid it printed. */
async function startSleeper(client: WsmanClient, shellId: string): Promise<number> {
  const commandId = await client.runCommand(shellId, 'echo $$; exec sleep 100');
  let printed = '';
  while (!printed.includes('\n')) printed += (await client.receive(shellId, commandId)).stdout.toString();
  return Number(printed.trim());
}

describe('abandoned shells', () => {
  it('are deleted with their processes after Winrs.IdleTimeout', async () => {
    const server = await startServer({ users: [ADMIN], sets: ['Winrs.IdleTimeout=1500'] });
    const client = new WsmanClient({ url: `https://127.0.0.1:${server.httpsPort}/wsman`, user: ADMIN.name, password: ADMIN.password });
    try {
      const shellId = await client.createShell();
      const pid = await startSleeper(client, shellId);
      expect(isAlive(pid)).toBe(true);
      expect(await eventually(() => !isAlive(pid), 6000)).toBe(true);
      const fault = await expectWsmanFault(client.runCommand(shellId, 'true'));
      expect(fault.code).toBe(2150858843);
      // Logged by the idle sweep, outside any request: it reaches the log within moments.
      expect(await eventually(() => server.logs().some((l) => l.includes('"reason":"idle timeout"')))).toBe(true);
    } finally {
      client.close();
      await server.stop();
    }
  });

  it('end with the service: stopping winrmd (SIGTERM) kills what its shells run, and their host', async () => {
    const server = await startServer({ users: [ADMIN] });
    const client = new WsmanClient({ url: `https://127.0.0.1:${server.httpsPort}/wsman`, user: ADMIN.name, password: ADMIN.password });
    let pid = 0;
    let hostPid: number | undefined;
    try {
      pid = await startSleeper(client, await client.createShell());
      expect(isAlive(pid)).toBe(true);
      const started = server.logs().find((line) => line.includes('"event":"shell-host-started"'));
      hostPid = started === undefined ? undefined : (JSON.parse(started) as { pid?: number }).pid;
      expect(hostPid).toBeDefined();
    } finally {
      client.close();
      await server.stop();
    }
    expect(await eventually(() => !isAlive(pid), 3000)).toBe(true);
    expect(hostPid !== undefined && isAlive(hostPid)).toBe(false);
    expect(server.logs().some((line) => line.includes('"event":"stopped"'))).toBe(true);
  });
});

describe('a winrmd that dies', () => {
  it('takes its shells with it: each host sees its channel close, ends its commands and exits', async () => {
    const server = await startServer({ users: [ADMIN] });
    const client = new WsmanClient({ url: `https://127.0.0.1:${server.httpsPort}/wsman`, user: ADMIN.name, password: ADMIN.password });
    let pid = 0;
    let hostPid: number | undefined;
    try {
      pid = await startSleeper(client, await client.createShell());
      const started = server.logs().find((line) => line.includes('"event":"shell-host-started"'));
      hostPid = started === undefined ? undefined : (JSON.parse(started) as { pid?: number }).pid;
      expect(hostPid).toBeDefined();
      process.kill(server.pid, 'SIGKILL');
      expect(await eventually(() => !isAlive(pid), 5000)).toBe(true);
      expect(await eventually(() => hostPid === undefined || !isAlive(hostPid), 5000)).toBe(true);
    } finally {
      client.close();
      await server.stop();
    }
  });
});

describe('failed logons', () => {
  it('are logged without the password, and repeated ones from one address are slowed down', async () => {
    const server = await startServer({ users: [ADMIN] });
    const wrongPassword = 'Not-Carols-Password-42';
    const intruder = new WsmanClient({ url: `https://127.0.0.1:${server.httpsPort}/wsman`, user: ADMIN.name, password: wrongPassword });
    try {
      const timings: number[] = [];
      for (let i = 0; i < 8; i++) {
        const started = Date.now();
        await expect(intruder.identify()).rejects.toMatchObject({ status: 401 });
        timings.push(Date.now() - started);
      }
      // The first attempts are free; later ones wait 250 ms, 500 ms, 1 s... before being checked.
      expect(Math.max(...timings.slice(-2))).toBeGreaterThanOrEqual(400);
      const logs = server.logs().join('\n');
      expect(logs).toContain('"event":"logon-failed"');
      expect(logs).not.toContain(wrongPassword);
      expect(logs).not.toContain(Buffer.from(`${ADMIN.name}:${wrongPassword}`).toString('base64'));
      expect(logs).not.toContain(ADMIN.password);
    } finally {
      intruder.close();
      await server.stop();
    }
  });
});
