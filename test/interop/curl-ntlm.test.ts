/**
 * Interop with curl 7.88 (Debian): `--ntlm` speaks raw NTLMSSP in the `NTLM` scheme, which the
 * server must answer in the same scheme; `--negotiate` with Debian's gss-ntlmssp mechanism speaks
 * SPNEGO-wrapped NTLM with a mechListMIC (MIT krb5's SPNEGO over gss-ntlmssp). Both over HTTPS,
 * where bodies are plain SOAP. curl's verbose output shows every leg.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientEnv, runProcess } from '../support/client-env.js';
import { startServer, type RunningServer, type TestUser } from '../support/server-process.js';
import { buildIdentify, child, parseXml, path, text } from '../support/wsman-xml.js';

const ADMIN: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };
const GSS_NTLMSSP_MECH = '/etc/gss/mech.d/mech.ntlmssp.conf';

interface HttpExchange {
  requestHeaders: string[];
  status: number;
  responseHeaders: string[];
}

interface CurlResult {
  exitCode: number | null;
  /** The status of the last response, from --write-out. */
  status: number;
  body: string;
  exchanges: HttpExchange[];
  /** How many TCP connections curl opened. */
  connections: number;
  verbose: string;
}

/** Splits `curl -v` output into request/response header blocks ("> " and "< " lines). */
function parseVerbose(verbose: string): HttpExchange[] {
  const exchanges: HttpExchange[] = [];
  let current: HttpExchange | undefined;
  for (const raw of verbose.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('> ')) {
      if (current === undefined || current.status !== 0) {
        current = { requestHeaders: [], status: 0, responseHeaders: [] };
        exchanges.push(current);
      }
      current.requestHeaders.push(line.slice(2));
    } else if (line.startsWith('< ') && current !== undefined) {
      const status = /^< HTTP\/[\d.]+ (\d{3})/.exec(line);
      if (status?.[1] !== undefined) current.status = Number(status[1]);
      else current.responseHeaders.push(line.slice(2));
    }
  }
  return exchanges;
}

/** Values of one header (case-insensitive name) among `Name: value` lines. */
function headerValues(lines: readonly string[], name: string): string[] {
  const prefix = `${name.toLowerCase()}:`;
  return lines.filter((l) => l.toLowerCase().startsWith(prefix)).map((l) => l.slice(prefix.length).trim());
}

let server: RunningServer;
let work: string;
let httpsUrl: string;

beforeAll(async () => {
  server = await startServer({ users: [ADMIN] });
  work = await mkdtemp(join(tmpdir(), 'winrmd-curl-'));
  await writeFile(join(work, 'identify.xml'), buildIdentify());
  httpsUrl = `https://127.0.0.1:${server.httpsPort}/wsman`;
  return () => server.stop();
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function curl(authArgs: string[], env: NodeJS.ProcessEnv = clientEnv()): Promise<CurlResult> {
  const bodyFile = join(work, `body-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const args = [
    '--silent',
    '--show-error',
    '--verbose',
    '--insecure',
    '--noproxy',
    '*',
    '--max-time',
    '30',
    ...authArgs,
    '--header',
    'Content-Type: application/soap+xml;charset=UTF-8',
    '--data-binary',
    `@${join(work, 'identify.xml')}`,
    '--output',
    bodyFile,
    '--write-out',
    '%{http_code}',
    httpsUrl,
  ];
  const result = await runProcess('curl', args, { env, timeoutMs: 40_000 });
  const body = existsSync(bodyFile) ? await readFile(bodyFile, 'utf8') : '';
  await rm(bodyFile, { force: true });
  return {
    exitCode: result.code,
    status: Number(result.stdout.toString('utf8').trim()),
    body,
    exchanges: parseVerbose(result.stderr),
    connections: (result.stderr.match(/^\* +Connected to /gm) ?? []).length,
    verbose: result.stderr,
  };
}

function expectIdentifyResponse(body: string): void {
  const response = path(parseXml(body), 'Envelope', 'Body', 'IdentifyResponse');
  expect(response).toBeDefined();
  expect(text(child(response, 'ProtocolVersion'))).toBe('http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd');
}

/** The bytes of `Negotiate <base64>`; empty for a bare scheme or a missing header. */
function tokenOf(header: string | undefined): Buffer {
  const match = /^Negotiate (\S+)$/.exec(header ?? '');
  return Buffer.from(match?.[1] ?? '', 'base64');
}

/** The DER elements inside a NegTokenResp `A1 len 30 len {...}`, as tag -> content. */
function negTokenRespFields(token: Buffer): Map<number, Buffer> {
  const read = (data: Buffer, offset: number): { tag: number; content: Buffer; end: number } => {
    const tag = data[offset] ?? -1;
    let length = data[offset + 1] ?? 0;
    let start = offset + 2;
    if (length >= 0x80) {
      const count = length & 0x7f;
      length = data.subarray(start, start + count).reduce((acc, b) => acc * 256 + b, 0);
      start += count;
    }
    if (start + length > data.length) throw new Error('DER element past the end');
    return { tag, content: data.subarray(start, start + length), end: start + length };
  };
  const outer = read(token, 0);
  if (outer.tag !== 0xa1) throw new Error(`not a NegTokenResp: tag ${outer.tag}`);
  const seq = read(outer.content, 0);
  if (seq.tag !== 0x30) throw new Error('NegTokenResp without its SEQUENCE');
  const fields = new Map<number, Buffer>();
  for (let offset = 0; offset < seq.content.length; ) {
    const field = read(seq.content, offset);
    fields.set(field.tag, field.content);
    offset = field.end;
  }
  return fields;
}

describe('curl --ntlm over HTTPS', () => {
  it('POSTs an Identify envelope and gets the IdentifyResponse, with every leg in the NTLM scheme', async () => {
    const result = await curl(['--ntlm', '--user', `${ADMIN.name}:${ADMIN.password}`]);
    expect(result.exitCode, result.verbose).toBe(0);
    expect(result.status).toBe(200);
    expectIdentifyResponse(result.body);

    expect(result.exchanges.map((e) => e.status)).toEqual([401, 200]);
    const [challengeLeg, finalLeg] = result.exchanges;
    if (challengeLeg === undefined || finalLeg === undefined) throw new Error('missing legs');
    expect(headerValues(challengeLeg.requestHeaders, 'Authorization')[0]).toMatch(/^NTLM TlRMTVNTUAAB/);
    // The server answers in the scheme curl used: `NTLM <CHALLENGE>`, not Negotiate.
    const challenges = headerValues(challengeLeg.responseHeaders, 'WWW-Authenticate');
    expect(challenges).toHaveLength(1);
    expect(challenges[0]).toMatch(/^NTLM TlRMTVNTUAAC/);
    expect(headerValues(finalLeg.requestHeaders, 'Authorization')[0]).toMatch(/^NTLM TlRMTVNTUAAD/);
    // Both legs on one kept-alive connection (notes §1.3).
    expect(result.connections).toBe(1);
  });

  it('gets 401 with a wrong password', async () => {
    const result = await curl(['--ntlm', '--user', `${ADMIN.name}:wrong-password`]);
    expect(result.exitCode).toBe(0);
    expect(result.status).toBe(401);
    expect(result.body).not.toContain('IdentifyResponse');
    // The refusal is the AUTHENTICATE's: curl got a challenge and answered it.
    expect(result.exchanges.map((e) => e.status)).toEqual([401, 401]);
    expect(headerValues(result.exchanges[1]?.requestHeaders ?? [], 'Authorization')[0]).toMatch(/^NTLM TlRMTVNTUAAD/);
    expect(headerValues(result.exchanges[1]?.responseHeaders ?? [], 'WWW-Authenticate')).toContain('Negotiate');
  });
});

describe('curl --negotiate with gss-ntlmssp over HTTPS (SPNEGO around NTLM)', () => {
  let userFile: string;

  beforeAll(() => {
    if (!existsSync(GSS_NTLMSSP_MECH)) {
      throw new Error(`gss-ntlmssp is not installed (${GSS_NTLMSSP_MECH} missing): run scripts/test.sh, or apt-get install gss-ntlmssp`);
    }
    userFile = join(work, 'ntlm-users');
  });

  /** gss-ntlmssp takes its credentials from NTLM_USER_FILE (DOMAIN:user:password); no gssproxy, no Kerberos. */
  async function negotiate(password: string): Promise<CurlResult> {
    await writeFile(userFile, `WORKGROUP:${ADMIN.name}:${password}\n`, { mode: 0o600 });
    const env = clientEnv({
      NTLM_USER_FILE: userFile,
      GSS_USE_PROXY: 'no',
      KRB5CCNAME: `FILE:${join(work, 'no-ccache')}`,
      KRB5_CONFIG: join(work, 'no-krb5.conf'),
    });
    return curl(['--negotiate', '--user', ':'], env);
  }

  it('POSTs an Identify envelope and gets the IdentifyResponse, the final 200 carrying accept-completed and a mechListMIC', async () => {
    const result = await negotiate(ADMIN.password);
    expect(result.exitCode, result.verbose).toBe(0);
    expect(result.status).toBe(200);
    expectIdentifyResponse(result.body);

    expect(result.exchanges.map((e) => e.status)).toEqual([401, 200]);
    const [challengeLeg, finalLeg] = result.exchanges;
    if (challengeLeg === undefined || finalLeg === undefined) throw new Error('missing legs');
    // First token: GSS InitialContextToken (0x60) with the SPNEGO OID.
    const init = tokenOf(headerValues(challengeLeg.requestHeaders, 'Authorization')[0]);
    expect(init[0]).toBe(0x60);
    expect(init.includes(Buffer.from('06062b0601050502', 'hex'))).toBe(true);
    const challenge = headerValues(challengeLeg.responseHeaders, 'WWW-Authenticate');
    expect(challenge).toHaveLength(1);
    const challengeFields = negTokenRespFields(tokenOf(challenge[0]));
    expect(challengeFields.get(0xa0)?.toString('hex')).toBe('0a0101'); // accept-incomplete
    expect(challengeFields.get(0xa2)?.subarray(2, 10).toString('latin1')).toBe('NTLMSSP\0'); // responseToken CHALLENGE

    // The client's second token carries a mechListMIC, so the server's final one must too (notes §4.3).
    const clientResp = negTokenRespFields(tokenOf(headerValues(finalLeg.requestHeaders, 'Authorization')[0]));
    expect(clientResp.has(0xa3)).toBe(true);
    const finalTokens = headerValues(finalLeg.responseHeaders, 'WWW-Authenticate');
    expect(finalTokens).toHaveLength(1);
    const serverResp = negTokenRespFields(tokenOf(finalTokens[0]));
    expect(serverResp.get(0xa0)?.toString('hex')).toBe('0a0100'); // negState accept-completed
    const mic = serverResp.get(0xa3);
    expect(mic?.subarray(0, 6).toString('hex')).toBe('041001000000'); // OCTET STRING of an NTLM signature, version 1
    expect(result.connections).toBe(1);
  });

  it('gets 401 with a wrong password', async () => {
    const result = await negotiate('wrong-password');
    expect(result.status).toBe(401);
    expect(result.body).not.toContain('IdentifyResponse');
    expect(result.exchanges.map((e) => e.status)).toEqual([401, 401]);
    // The second leg was the SPNEGO-wrapped AUTHENTICATE (a NegTokenResp, 0xA1), refused without a token.
    expect(tokenOf(headerValues(result.exchanges[1]?.requestHeaders ?? [], 'Authorization')[0])[0]).toBe(0xa1);
    expect(headerValues(result.exchanges[1]?.responseHeaders ?? [], 'WWW-Authenticate').every((v) => !/^Negotiate \S/.test(v))).toBe(true);
  });
});
