/**
 * The command mapping through the real server, as Ansible uses it: PowerShell switches, the script
 * given with -EncodedCommand and more input on stdin, run by Service.PowerShellPath (a fake pwsh).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodedScriptOf, FAKE_PWSH_OUTPUT, installFakePwsh, type FakePwsh } from '../support/fake-pwsh.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import { WsmanClient } from '../support/wsman-client.js';

const ADMIN: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };
const SCRIPT = "& { $input | ForEach-Object { $_ } }\r\nWrite-Output 'done ✓'";
const ENCODED = Buffer.from(SCRIPT, 'utf16le').toString('base64');

let scratch: string;
let fake: FakePwsh;
let server: RunningServer;
let client: WsmanClient;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'winrmd-mapping-'));
  fake = await installFakePwsh(scratch);
  // No pwsh on PATH: only Service.PowerShellPath can lead to it.
  server = await startServer({ users: [ADMIN], sets: [`Service.PowerShellPath=${fake.path}`], env: { PATH: '/nonexistent' } });
  client = new WsmanClient({ url: `https://127.0.0.1:${server.httpsPort}/wsman`, user: ADMIN.name, password: ADMIN.password });
  return async () => {
    client.close();
    await server.stop();
    await rm(scratch, { recursive: true, force: true });
  };
});

describe('powershell through Service.PowerShellPath', () => {
  it("runs Ansible's command line with the switches pwsh takes, the script, and stdin", async () => {
    const shellId = await client.createShell({ env: { FAKE_PWSH_READ_STDIN: '1' } });
    const line = `PowerShell -NoProfile -NonInteractive -WindowStyle Hidden -ExecutionPolicy Unrestricted -EncodedCommand ${ENCODED}`;
    // Ansible turns the console off when it pipes the module into stdin.
    const commandId = await client.runCommand(shellId, line, [], false);
    const input = Buffer.from('{"module_args": {"x": 1}}\n');
    await client.send(shellId, commandId, input, true);
    const result = await client.receiveAll(shellId, commandId);
    await client.deleteShell(shellId);
    expect([result.stdout.toString(), result.stderr.toString(), result.exitCode]).toEqual([`${FAKE_PWSH_OUTPUT}\n`, '', 0]);
    const [call] = await fake.calls();
    // -WindowStyle is Windows-only: pwsh on Linux would refuse it, so it is dropped.
    expect(call?.args).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Unrestricted', '-EncodedCommand', ENCODED]);
    expect(call && encodedScriptOf(call)).toBe(SCRIPT);
    expect(call?.stdin).toEqual(input);
  });

  it("reports pwsh's exit code as the command's", async () => {
    const shellId = await client.createShell({ env: { FAKE_PWSH_EXIT: '7' } });
    const result = await client.run(shellId, 'powershell.exe', ['-e', ENCODED]);
    await client.deleteShell(shellId);
    expect(result.exitCode).toBe(7);
  });
});
