/**
 * `serve --transcript` (issue 7) end to end: a real server, an NTLM-encrypted pywinrm session over
 * HTTP and a Basic one over HTTPS; the files hold the plaintext exchanges in order, never a
 * credential, and `winrmd transcript show` prints them.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlyResult, runPywinrmSpec, stdoutText } from '../support/pywinrm-runner.js';
import { REPO_ROOT, startServer, type TestUser } from '../support/server-process.js';

const ADMIN: TestUser = { name: 'alice', password: 'Alice-Pa55word!', groups: ['Administrators'] };
const SHELL = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell';
const ACTIONS = ['http://schemas.xmlsoap.org/ws/2004/09/transfer/Create', `${SHELL}/Command`, `${SHELL}/Receive`];

interface Entry {
  direction: string;
  transport: string;
  connectionId: string;
  status?: number;
  headers: Record<string, string | string[]>;
  envelope?: string;
}

let parent: string;
let dir: string;
let files: string[];
let entries: Entry[];
let raw: string;

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'winrmd-transcript-'));
  dir = join(parent, 'transcripts');
  const server = await startServer({ users: [ADMIN], sets: [`Winrmd.TranscriptDir=${dir}`] });
  try {
    const ntlm = await runPywinrmSpec({
      endpoint: `http://127.0.0.1:${server.httpPort}/wsman`,
      user: ADMIN.name,
      password: ADMIN.password,
      transport: 'ntlm',
      message_encryption: 'always',
      steps: [{ op: 'session_run_cmd', command: 'echo', args: ['over-ntlm'] }],
    });
    expect(stdoutText(onlyResult(ntlm))).toBe('over-ntlm\n');
    const basic = await runPywinrmSpec({
      endpoint: `https://127.0.0.1:${server.httpsPort}/wsman`,
      user: ADMIN.name,
      password: ADMIN.password,
      transport: 'basic',
      steps: [{ op: 'session_run_cmd', command: 'echo', args: ['over-basic'] }],
    });
    expect(stdoutText(onlyResult(basic))).toBe('over-basic\n');
  } finally {
    // Stopping ends every transcript file, so what is read below is complete.
    await server.stop();
  }
  files = (await readdir(dir)).filter((name) => name.endsWith('.jsonl')).map((name) => join(dir, name));
  raw = (await Promise.all(files.map((file) => readFile(file, 'utf8')))).join('');
  entries = raw
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Entry);
});

afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

function actionOf(envelope: string | undefined): string | undefined {
  return /<(?:\w+:)?Action\b[^>]*>([^<]+)</.exec(envelope ?? '')?.[1];
}

describe('transcripts', () => {
  it('writes 0600 files in a 0700 directory', async () => {
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it.each(['http', 'https'])('holds the plaintext Create, Command and Receive over %s, each answered, in order', (transport) => {
    const mine = entries.filter((e) => e.transport === transport);
    const requests = mine.filter((e) => e.direction === 'request').map((e) => actionOf(e.envelope));
    const positions = ACTIONS.map((action) => requests.indexOf(action));
    for (const position of positions) expect(position).toBeGreaterThanOrEqual(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Within a connection, each request is followed by its response, whose envelope is plaintext too.
    for (const id of new Set(mine.map((e) => e.connectionId))) {
      const ofConnection = mine.filter((e) => e.connectionId === id);
      ofConnection.forEach((e, i) => {
        expect(e.direction).toBe(i % 2 === 0 ? 'request' : 'response');
      });
    }
    const createReply = mine[mine.findIndex((e) => actionOf(e.envelope) === ACTIONS[0]) + 1];
    expect(createReply?.status).toBe(200);
    expect(createReply?.envelope).toContain('ShellId');
    expect(mine.some((e) => e.direction === 'response' && (e.envelope ?? '').includes('CommandResponse'))).toBe(true);
  });

  it('holds no password, no Basic credentials and no NTLM tokens', () => {
    expect(raw).not.toContain(ADMIN.password);
    expect(raw).not.toContain(Buffer.from(`${ADMIN.name}:${ADMIN.password}`).toString('base64'));
    // Every NTLM message, base64, starts with "NTLMSSP\0".
    expect(raw).not.toContain('TlRMTVNTUA');
    const authValues = entries.flatMap((e) =>
      Object.entries(e.headers)
        .filter(([name]) => /^(authorization|www-authenticate)$/i.test(name))
        .flatMap(([, value]) => (Array.isArray(value) ? value : [value])),
    );
    expect(authValues.length).toBeGreaterThan(0);
    for (const value of authValues) expect(value).toMatch(/^[\w-]+( <redacted>)?$/);
  });

  it('is printed readably by winrmd transcript show', async () => {
    const contents = await Promise.all(files.map(async (f) => ({ f, text: await readFile(f, 'utf8') })));
    const file = contents.find(({ text }) => text.includes('transfer/Create'))?.f ?? '';
    const output = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'winrmd'), 'transcript', 'show', file], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => {
        resolve({ code, stdout });
      });
    });
    expect(output.code).toBe(0);
    expect(output.stdout).toMatch(/request POST \/wsman/);
    expect(output.stdout).toMatch(/response 200/);
    expect(output.stdout).toMatch(/\n {2,}<(\w+:)?Action\b[^>]*>[^<]+<\/(\w+:)?Action>\n/);
  });
});
