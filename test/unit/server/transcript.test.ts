import { describe, expect, it } from 'vitest';
import { formatTranscript, indentXml } from '../../../cli/transcript-format.js';
import { redactAuthValue, redactEnvelope, redactHeaders } from '../../../server/transcript-entry.js';

describe('transcript redaction', () => {
  it('keeps only the scheme of Authorization and WWW-Authenticate values', () => {
    expect(redactAuthValue('Negotiate TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAF1YAAAADw==')).toBe('Negotiate <redacted>');
    expect(redactAuthValue('Basic YWxpY2U6c2VjcmV0')).toBe('Basic <redacted>');
    expect(redactAuthValue('Negotiate')).toBe('Negotiate');
    const headers = redactHeaders({
      Authorization: 'Basic YWxpY2U6c2VjcmV0',
      'www-authenticate': ['Negotiate oYIBDjCCAQqgAwoBAaEMBgorBgEEAYI3AgIK', 'Basic realm="WSMAN"'],
      'content-length': 42,
      'content-type': 'application/soap+xml;charset=UTF-8',
      absent: undefined,
    });
    expect(headers).toEqual({
      Authorization: 'Basic <redacted>',
      'www-authenticate': ['Negotiate <redacted>', 'Basic <redacted>'],
      'content-length': '42',
      'content-type': 'application/soap+xml;charset=UTF-8',
    });
  });

  it('empties password elements of an envelope', () => {
    const xml = '<s:Body><cfg:Password a="1">hunter2</cfg:Password><AdminPassword>x</AdminPassword><User>bob</User></s:Body>';
    const redacted = redactEnvelope(xml);
    expect(redacted).not.toContain('hunter2');
    expect(redacted).toBe('<s:Body><cfg:Password a="1">&lt;redacted&gt;</cfg:Password><AdminPassword>&lt;redacted&gt;</AdminPassword><User>bob</User></s:Body>');
  });
});

describe('transcript show', () => {
  it('indents XML, keeping text-only elements on one line', () => {
    expect(indentXml('<?xml version="1.0"?><s:Envelope><s:Header><a:To>http://x/wsman</a:To><e/></s:Header><s:Body/></s:Envelope>')).toBe(
      [
        '<?xml version="1.0"?>',
        '<s:Envelope>',
        '  <s:Header>',
        '    <a:To>http://x/wsman</a:To>',
        '    <e/>',
        '  </s:Header>',
        '  <s:Body/>',
        '</s:Envelope>',
      ].join('\n'),
    );
  });

  it('prints one block per exchange half', () => {
    const common = { connectionId: 'c1', remoteAddress: '127.0.0.1', transport: 'http', headers: {} };
    const text = [
      JSON.stringify({ ...common, time: '2024-05-01T12:00:00.000Z', direction: 'request', method: 'POST', url: '/wsman', envelope: '<a><b>1</b></a>' }),
      JSON.stringify({ ...common, time: '2024-05-01T12:00:00.010Z', direction: 'response', status: 401 }),
      'garbage',
      '',
    ].join('\n');
    expect(formatTranscript(text)).toBe(
      [
        '2024-05-01T12:00:00.000Z  request POST /wsman  [connection c1 from 127.0.0.1 over http]',
        '<a>',
        '  <b>1</b>',
        '</a>',
        '',
        '2024-05-01T12:00:00.010Z  response 401  [connection c1 from 127.0.0.1 over http]',
        '(no envelope)',
        '',
        '(not a transcript line) garbage',
        '',
      ].join('\n'),
    );
  });
});
