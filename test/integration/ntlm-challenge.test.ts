/**
 * What the server tells about itself before anyone logs in: the NTLM CHALLENGE's names and OS
 * version (what netexec prints), and Identify's ProductVersion, from the Winrmd.* settings.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { negotiateMessage, parseChallenge } from '../support/ntlm-challenge.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import { WsmanClient } from '../support/wsman-client.js';

const ADMIN: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };

let server: RunningServer;
let anonymous: WsmanClient;

beforeAll(async () => {
  server = await startServer({
    users: [ADMIN],
    sets: [
      'Winrmd.NetbiosComputerName=LABSRV',
      'Winrmd.NetbiosDomainName=LABDOM',
      'Winrmd.DnsComputerName=labsrv.lab.example',
      'Winrmd.DnsDomainName=lab.example',
      'Winrmd.OsVersion=10.0.17763',
    ],
  });
  anonymous = new WsmanClient({ url: `http://127.0.0.1:${server.httpPort}/wsman` });
  return async () => {
    anonymous.close();
    await server.stop();
  };
});

describe('the NTLM CHALLENGE', () => {
  it('carries the configured names and OS version', async () => {
    const reply = await anonymous.post('', { Authorization: `Negotiate ${negotiateMessage().toString('base64')}` });
    expect(reply.status).toBe(401);
    const header = String(reply.headers['www-authenticate']);
    const token = /^Negotiate ([A-Za-z0-9+/=]+)$/.exec(header)?.[1];
    if (token === undefined) throw new Error(`no CHALLENGE in ${header}`);
    expect(parseChallenge(Buffer.from(token, 'base64'))).toMatchObject({
      targetName: 'LABSRV',
      netbiosComputer: 'LABSRV',
      netbiosDomain: 'LABDOM',
      dnsComputer: 'labsrv.lab.example',
      dnsDomain: 'lab.example',
      version: { major: 10, minor: 0, build: 17763, revision: 15 },
    });
  });

  it('reports the same OS version in an authenticated Identify', async () => {
    const client = new WsmanClient({ url: `https://127.0.0.1:${server.httpsPort}/wsman`, user: ADMIN.name, password: ADMIN.password });
    try {
      expect((await client.identify()).productVersion).toBe('OS: 10.0.17763 SP: 0.0 Stack: 3.0');
    } finally {
      client.close();
    }
  });
});
