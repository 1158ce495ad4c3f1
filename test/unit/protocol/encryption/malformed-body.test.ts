import { describe, expect, it } from 'vitest';
import {
  ENCRYPTION_PROTOCOL,
  EncryptedBodyError,
  frameEncrypted,
  unframeEncrypted,
} from '../../../../protocol/encryption/multipart-encrypted.js';
import { prng } from '../../../support/prng.js';

const B = '--Encrypted Boundary';
const HEAD1 = `${B}\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n`;
const ORIGINAL = '\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=4\r\n';
const HEAD2 = `${B}\r\n\tContent-Type: application/octet-stream\r\n`;
const BINARY = Buffer.concat([Buffer.from([16, 0, 0, 0]), Buffer.alloc(16, 0xaa), Buffer.from('data')]);
const CLOSE = `${B}--\r\n`;

function body(...pieces: (string | Buffer)[]): Buffer {
  return Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));
}

describe('unframeEncrypted refuses malformed bodies with EncryptedBodyError', () => {
  it('accepts the well-formed reference body', () => {
    const [part] = unframeEncrypted(body(HEAD1, ORIGINAL, HEAD2, BINARY, CLOSE), 'Encrypted Boundary');
    expect(part?.data.toString()).toBe('data');
  });

  it.each([
    ['an empty body', body()],
    ['no boundary line first', body('garbage\r\n', ORIGINAL, HEAD2, BINARY, CLOSE)],
    ['a missing octet-stream section', body(HEAD1, ORIGINAL, CLOSE)],
    ['a missing second boundary', body(HEAD1, ORIGINAL, '\tContent-Type: application/octet-stream\r\n', BINARY, CLOSE)],
    ['a missing Content-Type', body(`${B}\r\n`, ORIGINAL, HEAD2, BINARY, CLOSE)],
    ['a missing OriginalContent', body(HEAD1, HEAD2, BINARY, CLOSE)],
    ['a missing Length', body(HEAD1, '\tOriginalContent: type=application/soap+xml;charset=UTF-8\r\n', HEAD2, BINARY, CLOSE)],
    ['a non-numeric Length', body(HEAD1, '\tOriginalContent: type=application/soap+xml;Length=abc\r\n', HEAD2, BINARY, CLOSE)],
    ['a negative Length', body(HEAD1, '\tOriginalContent: type=application/soap+xml;Length=-4\r\n', HEAD2, BINARY, CLOSE)],
    ['an absurd Length', body(HEAD1, '\tOriginalContent: type=x;Length=99999999999999999999\r\n', HEAD2, BINARY, CLOSE)],
    ['a wrong octet-stream type', body(HEAD1, ORIGINAL, `${B}\r\n\tContent-Type: text/plain\r\n`, BINARY, CLOSE)],
    ['a truncated length field', body(HEAD1, ORIGINAL, HEAD2, Buffer.from([16, 0]))],
    ['a header length beyond the body', body(HEAD1, ORIGINAL, HEAD2, Buffer.from([0xff, 0xff, 0xff, 0x7f]), 'x', CLOSE)],
    ['a header length of 2^32-1', body(HEAD1, ORIGINAL, HEAD2, Buffer.from([0xff, 0xff, 0xff, 0xff]))],
    ['a header length swallowing the closing line', body(HEAD1, ORIGINAL, HEAD2, Buffer.from([44, 0, 0, 0]), Buffer.alloc(16), 'data', CLOSE)],
    ['no closing boundary', body(HEAD1, ORIGINAL, HEAD2, BINARY)],
    ['a truncated second part', body(HEAD1, ORIGINAL, HEAD2, BINARY, HEAD1, ORIGINAL)],
    ['binary where header lines belong', body(HEAD1, Buffer.alloc(5000, 0x41))],
    ['a malformed header line', body(HEAD1, 'no colon here\r\n', ORIGINAL, HEAD2, BINARY, CLOSE)],
  ])('%s', (_label, input) => {
    expect(() => unframeEncrypted(input, 'Encrypted Boundary')).toThrow(EncryptedBodyError);
  });

  it('refuses an empty boundary', () => {
    expect(() => unframeEncrypted(body(HEAD1, ORIGINAL, HEAD2, BINARY, CLOSE), '')).toThrow(EncryptedBodyError);
  });

  it('refuses a body framed with another boundary', () => {
    expect(() => unframeEncrypted(body(HEAD1, ORIGINAL, HEAD2, BINARY, CLOSE), 'Other Boundary')).toThrow(EncryptedBodyError);
  });
});

describe('unframeEncrypted fuzz', () => {
  function expectOnlyTypedErrors(input: Buffer): void {
    try {
      unframeEncrypted(input, 'Encrypted Boundary');
    } catch (error) {
      expect(error).toBeInstanceOf(EncryptedBodyError);
    }
  }

  it('random bytes never cause anything but EncryptedBodyError', () => {
    const random = prng(1);
    for (let i = 0; i < 3000; i++) expectOnlyTypedErrors(random.bytes(random.int(400)));
  });

  it('random bytes after a valid prefix, and mutated valid bodies, likewise', () => {
    const random = prng(2);
    const valid = frameEncrypted([
      { protocol: ENCRYPTION_PROTOCOL.spnego, originalContentType: 'application/soap+xml;charset=UTF-8', originalLength: 40, header: random.bytes(16), data: random.bytes(40) },
      { protocol: ENCRYPTION_PROTOCOL.spnego, originalContentType: 'application/soap+xml;charset=UTF-8', originalLength: 7, header: random.bytes(16), data: random.bytes(7) },
    ]).body;
    for (let i = 0; i < 3000; i++) {
      const mutated = Buffer.from(valid);
      const flips = 1 + random.int(4);
      for (let f = 0; f < flips; f++) mutated[random.int(mutated.length)] = random.int(256);
      expectOnlyTypedErrors(mutated.subarray(0, random.int(mutated.length + 1)));
      expectOnlyTypedErrors(mutated);
      expectOnlyTypedErrors(Buffer.concat([valid.subarray(0, random.int(valid.length)), random.bytes(random.int(64))]));
    }
  });
});
