/**
 * Logon events for the other ways in: NTLM (a network logon of type 3 bound to its connection),
 * an unknown account (SubStatus 0xc0000064), and an account without the group (WinRM 192).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runPywinrmSpec } from '../support/pywinrm-runner.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import { eventsWhen } from './events-support.js';

const ALICE: TestUser = { name: 'alice', password: 'Alice-Ntlm-Pa55!', groups: ['Administrators'] };
const CAROL: TestUser = { name: 'carol', password: 'Carol-No-Group-1!', groups: [] };

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ users: [ALICE, CAROL] });
  return () => server.stop();
});

function since(count: number): (records: { EventID: number }[]) => boolean {
  return (records) => records.length >= count;
}

describe('logon events', () => {
  it('NTLM: 4624 of type 3 through NtLmSsp, 169 naming NTLM, and 4634 when the connection closes', async () => {
    const output = await runPywinrmSpec({
      endpoint: `http://127.0.0.1:${server.httpPort}/wsman`, user: ALICE.name, password: ALICE.password, transport: 'ntlm',
      steps: [{ op: 'run', command: 'true' }],
    });
    expect(output.error).toBeNull();
    const records = await eventsWhen(server, (r) => r.some((e) => e.EventID === 4634));
    const logons = records.filter((r) => r.Channel === 'Security' && r.EventID !== 4688);
    expect(logons.map((r) => r.EventID)).toEqual([4624, 4634]);
    expect(logons[0]?.EventData).toMatchObject({
      TargetUserName: 'alice', LogonType: '3', LogonProcessName: 'NtLmSsp ', AuthenticationPackageName: 'NTLM', LmPackageName: 'NTLM V2', KeyLength: '128',
    });
    expect(logons[1]?.EventData['TargetLogonId']).toBe(logons[0]?.EventData['TargetLogonId']);
    expect(records.find((r) => r.EventID === 169)?.EventData['authenticationMechanism']).toBe('NTLM');
  });

  it('an unknown account: 4625 with SubStatus 0xc0000064 (NTLM) ', async () => {
    const before = (await eventsWhen(server, since(0))).length;
    const output = await runPywinrmSpec({
      endpoint: `http://127.0.0.1:${server.httpPort}/wsman`, user: 'nobody-here', password: 'whatever-1', transport: 'ntlm',
      steps: [{ op: 'run', command: 'true' }],
    });
    expect(output.error?.httpStatus).toBe(401);
    const records = (await eventsWhen(server, (r) => r.slice(before).some((e) => e.EventID === 4625))).slice(before);
    expect(records.map((r) => r.EventID)).toEqual([4625, 161]);
    expect(records[0]?.EventData).toMatchObject({ TargetUserName: 'nobody-here', Status: '0xc000006d', SubStatus: '0xc0000064', LogonType: '3', AuthenticationPackageName: 'NTLM' });
  });

  it('an account outside Administrators and Remote Management Users: logged on, refused (192), logged off', async () => {
    const before = (await eventsWhen(server, since(0))).length;
    const output = await runPywinrmSpec({
      endpoint: `https://127.0.0.1:${server.httpsPort}/wsman`, user: CAROL.name, password: CAROL.password, transport: 'basic',
      steps: [{ op: 'run', command: 'true' }],
    });
    expect(output.error?.httpStatus).toBe(401);
    const records = (await eventsWhen(server, (r) => r.slice(before).some((e) => e.EventID === 192))).slice(before);
    expect(records.map((r) => r.EventID)).toEqual([4624, 192, 4634]);
    expect(records[1]?.EventData).toEqual({ errorCode: '5' });
    expect(records[0]?.EventData['TargetUserName']).toBe('carol');
  });
});
