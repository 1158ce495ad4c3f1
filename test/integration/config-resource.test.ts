/**
 * The configuration resource through the real server: Get as Windows answers it, Put changing the
 * running configuration where the listener, the auth gate and the handlers read it, and the
 * listener resource reporting the ports actually bound.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectWsmanFault } from '../support/expect-helpers.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import { children, path, text, WsmanClient, type EnvelopeOptions } from '../support/wsman-client.js';

const CONFIG = 'http://schemas.microsoft.com/wbem/wsman/1/config';
const LISTENER = `${CONFIG}/listener`;
const GET = 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Get';
const PUT = 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Put';
const ENUMERATE = 'http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate';
const WSEN = 'http://schemas.xmlsoap.org/ws/2004/09/enumeration';
const REQUEST_TOO_LARGE = 2150858805;

const ADMIN: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };
const OPERATOR: TestUser = { name: 'olga', password: 'Olga-Pa55word!', groups: ['Remote Management Users'] };

let server: RunningServer;
let admin: WsmanClient;
let operator: WsmanClient;

beforeAll(async () => {
  // Started at the smallest envelope size, so that raising it by Put has something to prove.
  server = await startServer({ users: [ADMIN, OPERATOR], sets: ['Service.MaxEnvelopeSizekb=32'] });
  const url = `https://127.0.0.1:${server.httpsPort}/wsman`;
  admin = new WsmanClient({ url, user: ADMIN.name, password: ADMIN.password });
  operator = new WsmanClient({ url, user: OPERATOR.name, password: OPERATOR.password });
  return async () => {
    admin.close();
    operator.close();
    await server.stop();
  };
});

const getConfig = (client: WsmanClient, padding = ''): Promise<unknown> =>
  client.soap({ action: GET, resourceUri: CONFIG, body: padding === '' ? '' : `<!--${padding}-->` });

function put(resourcePath: string, element: string, inner: string): EnvelopeOptions {
  const ns = `${CONFIG}${resourcePath}`;
  return { action: PUT, resourceUri: ns, body: `<cfg:${element} xmlns:cfg="${ns}">${inner}</cfg:${element}>` };
}

describe('Get on .../wsman/1/config', () => {
  it('answers an administrator with cfg:Config, MaxEnvelopeSizekb first', async () => {
    const doc = await getConfig(admin);
    const config = path(doc, 'Envelope', 'Body', 'Config');
    expect(text(path(config, 'MaxEnvelopeSizekb'))).toBe('32');
    expect(text(path(config, 'Service', 'Auth', 'CbtHardeningLevel'))).toBe('Relaxed');
    expect(text(path(config, 'Winrs', 'MaxShellsPerUser'))).toBe('30');
  });

  it('denies a Remote Management User with code 5', async () => {
    const fault = await expectWsmanFault(getConfig(operator));
    expect([fault.status, fault.code, fault.subcode]).toEqual([500, 5, 'w:AccessDenied']);
  });
});

describe('Put on .../wsman/1/config', () => {
  it('changes the envelope limit the listener enforces, both ways, while running', async () => {
    const padding = 'x'.repeat(40 * 1024);
    expect((await expectWsmanFault(getConfig(admin, padding))).code).toBe(REQUEST_TOO_LARGE);
    const doc = await admin.soap(put('', 'Config', '<cfg:MaxEnvelopeSizekb>500</cfg:MaxEnvelopeSizekb>'));
    expect(text(path(doc, 'Envelope', 'Body', 'Config', 'MaxEnvelopeSizekb'))).toBe('500');
    expect(text(path(await getConfig(admin, padding), 'Envelope', 'Body', 'Config', 'MaxEnvelopeSizekb'))).toBe('500');
    await admin.soap(put('', 'Config', '<cfg:MaxEnvelopeSizekb>32</cfg:MaxEnvelopeSizekb>'));
    expect((await expectWsmanFault(getConfig(admin, padding))).code).toBe(REQUEST_TOO_LARGE);
  });

  it('turns AllowUnencrypted on for the auth gate: Basic over HTTP is then let in', async () => {
    const http = new WsmanClient({ url: `http://127.0.0.1:${server.httpPort}/wsman`, user: ADMIN.name, password: ADMIN.password });
    try {
      await expect(http.identify()).rejects.toMatchObject({ status: 401 });
      await admin.soap(put('/service', 'Service', '<cfg:AllowUnencrypted>true</cfg:AllowUnencrypted>'));
      expect((await http.identify()).securityProfiles).toContain('http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/http/basic');
      const shellId = await http.createShell();
      expect((await http.run(shellId, 'echo plain')).stdout.toString()).toBe('plain\n');
      await http.deleteShell(shellId);
    } finally {
      await admin.soap(put('/service', 'Service', '<cfg:AllowUnencrypted>false</cfg:AllowUnencrypted>'));
      http.close();
    }
  });

  it('refuses an unknown property (2150858817) and a Remote Management User (5)', async () => {
    const unknown = await expectWsmanFault(admin.soap(put('/winrs', 'Winrs', '<cfg:MaxTeaCups>3</cfg:MaxTeaCups>')));
    expect([unknown.code, unknown.subcode]).toEqual([2150858817, 'w:SchemaValidationError']);
    const denied = await expectWsmanFault(operator.soap(put('/winrs', 'Winrs', '<cfg:IdleTimeout>60000</cfg:IdleTimeout>')));
    expect(denied.code).toBe(5);
  });
});

describe('the listener resource', () => {
  it('enumerates the listeners with the ports they are bound to', async () => {
    const body = `<wsen:Enumerate xmlns:wsen="${WSEN}"><wsman:OptimizeEnumeration/><wsman:MaxElements>10</wsman:MaxElements></wsen:Enumerate>`;
    const doc = await admin.soap({ action: ENUMERATE, resourceUri: LISTENER, body });
    const listeners = children(path(doc, 'Envelope', 'Body', 'EnumerateResponse', 'Items'), 'Listener');
    const seen = listeners.map((l) => [text(path(l, 'Address')), text(path(l, 'Transport')), text(path(l, 'Port'))]);
    expect(seen).toEqual([
      ['IP:127.0.0.1', 'HTTP', String(server.httpPort)],
      ['IP:127.0.0.1', 'HTTPS', String(server.httpsPort)],
    ]);
  });

  it('gets one listener by its Address and Transport selectors', async () => {
    const doc = await admin.soap({ action: GET, resourceUri: LISTENER, selectors: { Address: 'IP:127.0.0.1', Transport: 'HTTPS' } });
    const listener = path(doc, 'Envelope', 'Body', 'Listener');
    expect(text(path(listener, 'Port'))).toBe(String(server.httpsPort));
    expect(text(path(listener, 'CertificateThumbprint'))).toMatch(/^[0-9A-F]{64}$/);
    expect(children(listener, 'ListeningOn').map((a) => text(a))).toEqual(['127.0.0.1']);
  });
});
