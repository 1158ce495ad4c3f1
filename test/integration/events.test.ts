/**
 * Issue 8: what an investigator finds after a pywinrm session. A wrong password, then a logon, a
 * command and the shell's deletion leave exactly the Security and WinRM events a Windows host
 * would, with their fields; no password reaches the events file or the log; the metrics count it.
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../support/client-env.js';
import { runPywinrmSpec, stdoutText } from '../support/pywinrm-runner.js';
import { REPO_ROOT, startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import { eventsWhen, freePort, sample, scrape } from './events-support.js';

const ALICE: TestUser = { name: 'alice', password: 'Alice-Ev3nts-Pa55!', groups: ['Administrators'] };
const WRONG = 'Not-Alices-Pa55word-77';
const ARGUMENT_SECRET = 'Secret-In-Arg-42';
const CMD_URI = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd';

let server: RunningServer;
let metricsPort: number;
let url: string;

beforeAll(async () => {
  metricsPort = await freePort();
  server = await startServer({
    users: [ALICE],
    sets: [
      `Winrmd.Metrics.Port=${metricsPort}`,
      // HTTPS from anywhere; HTTP blocked, so that a connection to it leaves a 5157.
      'Firewall.Rules=[{"Name":"Lab HTTPS","LocalPort":"HTTPS"},{"Name":"No HTTP","Action":"Block","LocalPort":"HTTP"}]',
    ],
  });
  url = `https://127.0.0.1:${server.httpsPort}/wsman`;
  return () => server.stop();
});

describe('a pywinrm session, as the events record it', () => {
  it('leaves the exact sequence of Windows events, with their fields', async () => {
    const refused = await runPywinrmSpec({ endpoint: url, user: ALICE.name, password: WRONG, transport: 'basic', steps: [{ op: 'run', command: 'echo no' }] });
    expect(refused.error?.httpStatus).toBe(401);
    const ran = await runPywinrmSpec({
      endpoint: url, user: ALICE.name, password: ALICE.password, transport: 'basic',
      steps: [{ op: 'run', command: `echo hello --password=${ARGUMENT_SECRET}` }],
    });
    expect(ran.error).toBeNull();
    expect(stdoutText(ran.results[0] ?? { statusCode: 1, stdout: undefined, stderr: Buffer.alloc(0), stdoutSha256: '', stdoutLen: 0 })).toBe(`hello --password=${ARGUMENT_SECRET}\n`);

    // pywinrm has exited, so its connection closes: the logoff ends the sequence.
    const records = await eventsWhen(server, (r) => r.some((e) => e.EventID === 4634));
    expect(records.map((r) => r.EventID)).toEqual([4625, 161, 4624, 169, 81, 91, 81, 4688, 81, 81, 4634]);
    const [failed, authFailed, logon, authenticated, create, shell, command, created, signal, remove, logoff] = records;

    expect(failed).toMatchObject({ Channel: 'Security', Provider: 'Microsoft-Windows-Security-Auditing', Level: 0, Keywords: '0x8010000000000000' });
    expect(failed?.EventData).toMatchObject({
      TargetUserName: 'alice', Status: '0xc000006d', SubStatus: '0xc000006a', FailureReason: '%%2313', LogonType: '8',
      AuthenticationPackageName: 'MICROSOFT_AUTHENTICATION_PACKAGE_V1_0', IpAddress: '127.0.0.1',
    });
    expect(Number(failed?.EventData['IpPort'])).toBeGreaterThan(0);
    expect(authFailed).toMatchObject({ Channel: 'Microsoft-Windows-WinRM/Operational', Level: 2, EventData: { authFailureMessage: 'The user name or password is incorrect.' } });

    expect(logon?.EventData).toMatchObject({ TargetUserName: 'alice', LogonType: '8', LogonProcessName: 'Advapi  ', IpAddress: '127.0.0.1', ElevatedToken: '%%1842' });
    const logonId = logon?.EventData['TargetLogonId'];
    expect(logonId).toMatch(/^0x[0-9a-f]+$/);
    const domain = logon?.EventData['TargetDomainName'] ?? '';
    expect(authenticated?.EventData).toEqual({ username: `${domain}\\alice`, authenticationMechanism: 'Basic' });

    expect(create?.EventData).toEqual({ operationName: 'CreateShell' });
    expect(shell?.EventData).toEqual({ resourceUri: CMD_URI });
    const shellId = shell?.Winrmd.ShellId;
    expect(shellId).toMatch(/^[0-9A-F-]{36}$/);
    expect(command).toMatchObject({ EventData: { operationName: 'Command' }, Winrmd: { ShellId: shellId } });
    expect(created?.EventData).toMatchObject({ SubjectUserName: 'alice', SubjectLogonId: logonId, CommandLine: 'echo hello --password=[redacted]' });
    expect(created?.Winrmd.ShellId).toBe(shellId);
    expect(created?.Winrmd.CommandId).toMatch(/^[0-9A-F-]{36}$/);
    expect(signal).toMatchObject({ EventData: { operationName: 'Signal' }, Winrmd: { ShellId: shellId } });
    expect(remove).toMatchObject({ EventData: { operationName: 'DeleteShell' }, Winrmd: { ShellId: shellId } });
    expect(logoff?.EventData).toMatchObject({ TargetUserName: 'alice', TargetLogonId: logonId, LogonType: '8' });

    // One connection for the whole session; the failed attempt came on another.
    const connection = logon?.Winrmd.ConnectionId;
    expect(records.slice(2).every((r) => r.Winrmd.ConnectionId === connection)).toBe(true);
    expect(failed?.Winrmd.ConnectionId).not.toBe(connection);
    // Record ids count up; every record names the computer and the time.
    expect(records.map((r) => r.EventRecordID)).toEqual(records.map((_, i) => (records[0]?.EventRecordID ?? 0) + i));
  });

  it('writes no password anywhere: not in the events file, not in the log', async () => {
    const { readFile, readdir } = await import('node:fs/promises');
    const files = (await readdir(server.stateDir)).filter((f) => f.startsWith('events.jsonl'));
    expect(files.length).toBeGreaterThan(0);
    const written = [
      ...(await Promise.all(files.map((f) => readFile(join(server.stateDir, f), 'utf8')))),
      server.logs().join('\n'),
    ].join('\n');
    expect(written).toContain('"EventID":4688');
    for (const secret of [ALICE.password, WRONG, ARGUMENT_SECRET, Buffer.from(`alice:${ALICE.password}`).toString('base64'), Buffer.from(`alice:${WRONG}`).toString('base64')]) {
      expect(written).not.toContain(secret);
    }
  });

  it('reads the events back with `winrmd events`, as JSON lines or Windows XML', async () => {
    const env = { ...process.env };
    const bin = join(REPO_ROOT, 'bin', 'winrmd');
    const json = await runProcess(process.execPath, [bin, 'events', '--state-dir', server.stateDir, '--id', '4624,4634'], { env });
    expect(json.code).toBe(0);
    expect(json.stdout.toString().trim().split('\n').map((l) => (JSON.parse(l) as { EventID: number }).EventID)).toEqual([4624, 4634]);
    const xml = await runProcess(process.execPath, [bin, 'events', '--state-dir', server.stateDir, '--xml', '--id', '4688'], { env });
    expect(xml.stdout.toString()).toContain('<Data Name="CommandLine">echo hello --password=[redacted]</Data>');
  });

  it('records a connection the firewall refused as 5157, naming the rule', async () => {
    const socket = connect({ host: '127.0.0.1', port: server.httpPort });
    // The reset comes as an error, then the close.
    await new Promise((resolve) => {
      socket.on('error', () => undefined);
      socket.on('close', resolve);
    });
    const records = await eventsWhen(server, (r) => r.some((e) => e.EventID === 5157));
    const blocked = records.find((r) => r.EventID === 5157);
    expect(blocked?.EventData).toMatchObject({ Direction: '%%14592', SourceAddress: '127.0.0.1', SourcePort: String(server.httpPort), DestAddress: '127.0.0.1', Protocol: '6' });
    expect(blocked?.Winrmd).toMatchObject({ Rule: 'No HTTP', Profile: 'Private' });
  });

  it('counts what happened in the Prometheus metrics', async () => {
    const text = await scrape(metricsPort);
    expect(sample(text, 'winrmd_authentications_total{scheme="Basic",outcome="failure"}')).toBe(1);
    // Basic authenticates every request: Create, Command, Receive..., Signal, Delete.
    expect(sample(text, 'winrmd_authentications_total{scheme="Basic",outcome="success"}')).toBeGreaterThanOrEqual(5);
    expect(sample(text, 'winrmd_requests_total{transport="https",action="Create",status="200"}')).toBe(1);
    expect(sample(text, 'winrmd_requests_total{transport="https",action="Command",status="200"}')).toBe(1);
    expect(sample(text, 'winrmd_requests_total{transport="https",action="Delete",status="200"}')).toBe(1);
    expect(sample(text, 'winrmd_requests_total{transport="https",action="none",status="401"}')).toBe(1);
    expect(sample(text, 'winrmd_shells_created_total')).toBe(1);
    expect(sample(text, 'winrmd_commands_started_total')).toBe(1);
    expect(sample(text, 'winrmd_shells_active')).toBe(0);
    expect(sample(text, 'winrmd_commands_active')).toBe(0);
    expect(sample(text, 'winrmd_connections_total{transport="https"}')).toBe(2);
    expect(sample(text, 'winrmd_connections_active{transport="https"}')).toBe(0);
    expect(sample(text, 'winrmd_firewall_drops_total{transport="http",rule="No HTTP"}')).toBe(1);
    expect(sample(text, 'winrmd_received_bytes_total{transport="https"}')).toBeGreaterThan(1000);
    expect(sample(text, 'winrmd_sent_bytes_total{transport="https"}')).toBeGreaterThan(1000);
    expect(sample(text, 'winrmd_auth_handshake_duration_seconds_count{scheme="Basic",outcome="success"}')).toBeGreaterThanOrEqual(5);
    expect(sample(text, 'winrmd_request_duration_seconds_count{action="Receive"}')).toBeGreaterThanOrEqual(1);
  });
});
