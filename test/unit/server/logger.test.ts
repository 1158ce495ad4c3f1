import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CENSORED, censorCredentials } from '../../../server/log-censor.js';
import { createLogger } from '../../../server/logger.js';

/** A logger writing into an array of parsed lines. */
function capture(): { lines: Record<string, unknown>[]; log: ReturnType<typeof createLogger> } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done): void {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger('debug', sink) };
}

describe('log lines and credentials', () => {
  it('never carries a credential, wherever a call site put it', () => {
    const { lines, log } = capture();
    log.info({
      authorization: 'Basic YWxpY2U6aHVudGVyMg==',
      headers: { Authorization: 'Negotiate TlRMTVNTUAAB', host: 'h' },
      req: { headers: { authorization: 'Kerberos YII' } },
      user: { name: 'alice', password: 'hunter2' },
      password: 'hunter3',
      event: 'x',
    });
    const text = JSON.stringify(lines);
    for (const secret of ['YWxpY2U6aHVudGVyMg', 'TlRMTVNTUAAB', 'YII', 'hunter2', 'hunter3']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      authorization: CENSORED,
      headers: { Authorization: CENSORED, host: 'h' },
      req: { headers: { authorization: CENSORED } },
      user: { name: 'alice', password: CENSORED },
      password: CENSORED,
      event: 'x',
    });
  });

  it('leaves the caller’s objects as they were, and a line without credentials as it is', () => {
    const headers = { authorization: 'Basic abc' };
    const clean = { event: 'request', status: 200, nested: { a: 1 } };
    expect(censorCredentials(clean)).toBe(clean);
    expect(censorCredentials({ headers })).toEqual({ headers: { authorization: CENSORED } });
    expect(headers.authorization).toBe('Basic abc');
  });
});

describe('log lines and credentials, beyond plain objects', () => {
  class Credentials {
    constructor(
      readonly user: string,
      readonly password: string,
    ) {}
  }

  it('censors errors, class instances and a child logger’s bindings', () => {
    const { lines, log } = capture();
    const error = Object.assign(new Error('logon failed'), { password: 'err-secret' });
    log.error({ err: error, creds: new Credentials('alice', 'class-secret') }, 'failed');
    log.error(Object.assign(new Error('bare'), { password: 'bare-secret' }));
    log.child({ password: 'child-secret', headers: { authorization: 'Basic child' } }).child({ user: { password: 'grandchild-secret' } }).info('from a child');
    const text = JSON.stringify(lines);
    for (const secret of ['err-secret', 'class-secret', 'bare-secret', 'child-secret', 'Basic child', 'grandchild-secret']) expect(text).not.toContain(secret);
    // The error is still printed as an error, message and stack included.
    expect(lines[0]).toMatchObject({ err: { type: 'Error', message: 'logon failed', password: CENSORED }, creds: { user: 'alice', password: CENSORED } });
    expect(String((lines[0]?.['err'] as { stack?: string } | undefined)?.stack)).toContain('logon failed');
    expect(lines[1]).toMatchObject({ msg: 'bare', err: { message: 'bare', password: CENSORED } });
    expect(lines[2]).toMatchObject({ password: CENSORED, headers: { authorization: CENSORED }, user: { password: CENSORED }, msg: 'from a child' });
    expect(error.password).toBe('err-secret');
  });
});

describe('the logger of a benchmark or a test', () => {
  it('at level silent, sets up no writer for stdout and no exit hook', () => {
    const before = process.listenerCount('exit');
    const log = createLogger('silent');
    log.info('nowhere');
    expect(process.listenerCount('exit')).toBe(before);
  });
});
