/**
 * Service.RootSDDL through the real server and pywinrm: a custom DACL admits a group the default
 * does not and refuses an Administrator it denies; a Put changes it while winrmd runs; a RootSDDL
 * that does not parse keeps winrmd from starting.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';

import { clientEnv, runProcess } from '../support/client-env.js';
import { onlyResult, runPywinrmSpec, stdoutText, type PywinrmOutput } from '../support/pywinrm-runner.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import { WsmanClient } from '../support/wsman-client.js';

const ALICE: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };
const BOB: TestUser = { name: 'bob', password: 'B0b-Pa55word!', groups: ['Administrators'] };
const OLGA: TestUser = { name: 'olga', password: 'Olga-Pa55word!', groups: ['Operators'] };
const RITA: TestUser = { name: 'rita', password: 'Rita-Pa55word!', groups: ['Remote Management Users'] };

/** Administrators except bob, and the Operators group (a winrmd group, named); not RM. */
const CUSTOM = 'O:NSG:BAD:P(A;;GA;;;BA)(A;;GX;;;Operators)(D;;GA;;;bob)';
const CONFIG_SERVICE = 'http://schemas.microsoft.com/wbem/wsman/1/config/service';
const PUT = 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Put';
const WINRMD = fileURLToPath(new URL('../../bin/winrmd', import.meta.url));

let server: RunningServer;
let url: string;

beforeAll(async () => {
  server = await startServer({ users: [ALICE, BOB, OLGA, RITA], sets: [`Service.RootSDDL=${CUSTOM}`] });
  url = `https://127.0.0.1:${server.httpsPort}/wsman`;
  return () => server.stop();
});

function echo(user: TestUser, transport: 'basic' | 'ntlm' = 'basic'): Promise<PywinrmOutput> {
  const endpoint = transport === 'basic' ? url : `http://127.0.0.1:${server.httpPort}/wsman`;
  return runPywinrmSpec({ endpoint, user: user.name, password: user.password, transport, steps: [{ op: 'run', command: 'echo in' }] });
}

function outcome(output: PywinrmOutput): string {
  return output.ok ? stdoutText(onlyResult(output)) : (output.error?.class ?? 'unknown error');
}

describe('a custom Service.RootSDDL', () => {
  it('admits the group it names and the Administrators it does not deny', async () => {
    expect(outcome(await echo(OLGA))).toBe('in\n');
    expect(outcome(await echo(ALICE))).toBe('in\n');
    expect(outcome(await echo(OLGA, 'ntlm'))).toBe('in\n');
  });

  it('refuses an Administrator it denies, and Remote Management Users it does not list, with 401', async () => {
    expect(outcome(await echo(BOB))).toBe('InvalidCredentialsError');
    expect(outcome(await echo(RITA))).toBe('InvalidCredentialsError');
    expect(outcome(await echo(BOB, 'ntlm'))).toBe('InvalidCredentialsError');
  });

  it('changes with a Put, for the next request', async () => {
    const admin = new WsmanClient({ url, user: ALICE.name, password: ALICE.password });
    try {
      const next = 'O:NSG:BAD:P(A;;GA;;;BA)(A;;GA;;;RM)';
      await admin.soap({ action: PUT, resourceUri: CONFIG_SERVICE, body: `<cfg:Service xmlns:cfg="${CONFIG_SERVICE}"><cfg:RootSDDL>${next}</cfg:RootSDDL></cfg:Service>` });
      expect(outcome(await echo(RITA))).toBe('in\n');
      expect(outcome(await echo(BOB))).toBe('in\n');
      expect(outcome(await echo(OLGA))).toBe('InvalidCredentialsError');
      await admin.soap({ action: PUT, resourceUri: CONFIG_SERVICE, body: `<cfg:Service xmlns:cfg="${CONFIG_SERVICE}"><cfg:RootSDDL>${CUSTOM}</cfg:RootSDDL></cfg:Service>` });
      expect(outcome(await echo(OLGA))).toBe('in\n');
    } finally {
      admin.close();
    }
  });
});

describe('an invalid Service.RootSDDL', () => {
  it('keeps winrmd from starting, with a message saying what is wrong', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'winrmd-sddl-'));
    try {
      const result = await runProcess(
        process.execPath,
        [WINRMD, 'serve', '--state-dir', stateDir, '--http-port', '0', '--https-port', '0', '--set', 'Service.RootSDDL=O:NSG:BAD:P(A;;GA;;;BA'],
        { env: clientEnv(), timeoutMs: 30_000 },
      );
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/Service\.RootSDDL is not a valid SDDL: unbalanced parentheses/);
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
