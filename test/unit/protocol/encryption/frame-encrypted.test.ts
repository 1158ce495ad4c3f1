import { describe, expect, it } from 'vitest';
import {
  ENCRYPTION_PROTOCOL,
  frameEncrypted,
  unframeEncrypted,
  type EncryptedPart,
} from '../../../../protocol/encryption/multipart-encrypted.js';
import { prng } from '../../../support/prng.js';

const SOAP = 'application/soap+xml;charset=UTF-8';

function part(header: Buffer, data: Buffer, originalLength = data.length): EncryptedPart {
  return { protocol: ENCRYPTION_PROTOCOL.spnego, originalContentType: SOAP, originalLength, header, data };
}

describe('frameEncrypted', () => {
  it('writes the exact bytes of [MS-WSMV 2.2.9.1.1] for one NTLM-sealed part', () => {
    const signature = Buffer.from('0100000078010203040506070000000000', 'hex').subarray(0, 16);
    const sealed = Buffer.from('sealed-bytes-xyz', 'latin1');
    const { body, contentType } = frameEncrypted([part(signature, sealed, 1234)]);

    const expected = Buffer.concat([
      Buffer.from(
        '--Encrypted Boundary\r\n' +
          '\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n' +
          '\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=1234\r\n' +
          '--Encrypted Boundary\r\n' +
          '\tContent-Type: application/octet-stream\r\n',
        'latin1',
      ),
      Buffer.from([0x10, 0x00, 0x00, 0x00]),
      signature,
      sealed,
      Buffer.from('--Encrypted Boundary--\r\n', 'latin1'),
    ]);
    expect(body.equals(expected)).toBe(true);
    expect(contentType).toBe(
      'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"',
    );
  });

  it("writes into the caller's memory when given, every byte of it", () => {
    const parts = [part(Buffer.alloc(16, 1), Buffer.from('sealed data')), part(Buffer.alloc(16, 2), Buffer.from('more'))];
    const plain = frameEncrypted(parts);
    const memory = Buffer.alloc(plain.body.length + 10, 0xee);
    const sizes: number[] = [];
    const { body } = frameEncrypted(parts, undefined, (size) => {
      sizes.push(size);
      return memory.subarray(0, size);
    });
    expect(sizes).toEqual([plain.body.length]);
    expect(body.buffer).toBe(memory.buffer);
    expect(body.equals(plain.body)).toBe(true);
  });

  it('uses multipart/x-multi-encrypted for several parts, each with its own headers, one closing line', () => {
    const credssp = (data: string): EncryptedPart => ({
      protocol: ENCRYPTION_PROTOCOL.credssp,
      originalContentType: SOAP,
      originalLength: data.length,
      header: Buffer.alloc(0),
      data: Buffer.from(data),
    });
    const { body, contentType } = frameEncrypted([credssp('first'), credssp('second')]);
    expect(contentType).toBe(
      'multipart/x-multi-encrypted;protocol="application/HTTP-CredSSP-session-encrypted";boundary="Encrypted Boundary"',
    );
    const text = body.toString('latin1');
    expect(text.split('\tContent-Type: application/octet-stream\r\n')).toHaveLength(3);
    expect(text).toContain('\x00\x00\x00\x00first--Encrypted Boundary\r\n\tContent-Type: application/HTTP-CredSSP');
    expect(text.endsWith('second--Encrypted Boundary--\r\n')).toBe(true);
    expect(text.indexOf('--Encrypted Boundary--')).toBe(text.length - 24);
  });

  it.each([
    ['no parts', [] as EncryptedPart[]],
    ['mixed protocols', [part(Buffer.alloc(16), Buffer.alloc(1)), { ...part(Buffer.alloc(16), Buffer.alloc(1)), protocol: ENCRYPTION_PROTOCOL.kerberos }]],
    ['a line break in the content type', [{ ...part(Buffer.alloc(16), Buffer.alloc(1)), originalContentType: 'a\r\nb' }]],
    ['a negative length', [part(Buffer.alloc(16), Buffer.alloc(1), -1)]],
    ['a fractional length', [part(Buffer.alloc(16), Buffer.alloc(1), 1.5)]],
  ])('refuses %s', (_label, parts) => {
    expect(() => frameEncrypted(parts)).toThrow(RangeError);
  });
});

describe('unframeEncrypted ∘ frameEncrypted', () => {
  const random = prng(0x5eed);
  const sizes = [0, 1, 9, 16 * 1024, 2 * 1024 * 1024];

  it.each(sizes)('round-trips a %d-byte payload', (size) => {
    const original = part(random.bytes(16), random.bytes(size));
    const { body } = frameEncrypted([original]);
    const [back, ...rest] = unframeEncrypted(body, 'Encrypted Boundary');
    expect(rest).toHaveLength(0);
    expect(back?.protocol).toBe(original.protocol);
    expect(back?.originalContentType).toBe(SOAP);
    expect(back?.originalLength).toBe(size);
    expect(back?.header.equals(original.header)).toBe(true);
    expect(back?.data.equals(original.data)).toBe(true);
  });

  it('round-trips data that contains the boundary, a whole fake part, and ends in CRLF', () => {
    const trap = Buffer.from(
      '--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n' +
        '\tOriginalContent: type=x;Length=1\r\n--Encrypted Boundary\r\n--Encrypted Boundary--\r\n',
      'latin1',
    );
    const data = Buffer.concat([random.bytes(10), trap, random.bytes(10), trap, Buffer.from('\r\n')]);
    const [back] = unframeEncrypted(frameEncrypted([part(random.bytes(16), data)]).body, 'Encrypted Boundary');
    expect(back?.data.equals(data)).toBe(true);
  });

  it('round-trips several parts of a multi-encrypted body in order', () => {
    const parts = [part(random.bytes(16), random.bytes(16384)), part(random.bytes(16), random.bytes(16384)), part(random.bytes(16), random.bytes(8192))];
    const back = unframeEncrypted(frameEncrypted(parts).body, 'Encrypted Boundary');
    expect(back.map((p) => p.data.length)).toEqual([16384, 16384, 8192]);
    back.forEach((p, i) => {
      expect(p.data.equals(parts[i]?.data ?? Buffer.alloc(0))).toBe(true);
      expect(p.header.equals(parts[i]?.header ?? Buffer.alloc(0))).toBe(true);
    });
  });

  it('returns copies, not views into the request body', () => {
    const { body } = frameEncrypted([part(Buffer.alloc(16, 1), Buffer.alloc(4, 2))]);
    const [back] = unframeEncrypted(body, 'Encrypted Boundary');
    back?.data.fill(9);
    expect(body.includes(Buffer.from([9, 9, 9, 9]))).toBe(false);
  });
});
