/**
 * The bodies each peer client writes, rebuilt here from a reading of their code (not copied), so
 * that the parser is checked against every layout in the field:
 * - pywinrm ≥ 0.3 (winrm/encryption.py) and masterzen/winrm (message_encryption.go): TAB-indented
 *   header lines, `LE32(len(sig)) ‖ sig ‖ sealed`, then `--Encrypted Boundary--\r\n` with no CRLF
 *   after the data; CredSSP bodies over 16 KiB repeat the whole part per chunk.
 * - pywinrm 0.2: same, but the last line is `--Encrypted Boundary\r\n` (no trailing `--`).
 * - pypsrp (encryption.py): header lines joined with CRLF plus a final empty element, so the
 *   octet-stream line ends in CRLF and the binary follows; Length = plaintext + GSS padding.
 * - WinRb (transport.rb): no TAB; NTLM ends with `--Encrypted Boundary--\r\n`, the Kerberos
 *   heredoc version with `--Encrypted Boundary\r\n` and appends the GSS padding after the data.
 * - OMI: no TAB, `Length=` after `charset=`; Exchange writes `-- Encrypted Boundary`.
 */
import { describe, expect, it } from 'vitest';
import { ENCRYPTION_PROTOCOL, unframeEncrypted } from '../../../../protocol/encryption/multipart-encrypted.js';
import { prng } from '../../../support/prng.js';

const random = prng(42);
const B = '--Encrypted Boundary';
const SOAP = 'application/soap+xml;charset=UTF-8';

function le32(n: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(n);
  return out;
}

interface Chunk {
  readonly header: Buffer;
  readonly data: Buffer;
  readonly length: number;
}

/** One part as pywinrm, pypsrp and Go write it (all three agree byte for byte). */
function tabbedPart(protocol: string, chunk: Chunk): Buffer {
  const lines = [B, `\tContent-Type: ${protocol}`, `\tOriginalContent: type=${SOAP};Length=${chunk.length}`, B, '\tContent-Type: application/octet-stream', ''];
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), le32(chunk.header.length), chunk.header, chunk.data]);
}

/** WinRb and OMI: the same lines without the leading TAB. */
function untabbedPart(protocol: string, chunk: Chunk, extra = Buffer.alloc(0)): Buffer {
  const lines = [B, `Content-Type: ${protocol}`, `OriginalContent: type=${SOAP};Length=${chunk.length}`, B, 'Content-Type: application/octet-stream', ''];
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), le32(chunk.header.length), chunk.header, chunk.data, extra]);
}

function ntlmChunk(size: number): Chunk {
  return { header: random.bytes(16), data: random.bytes(size), length: size };
}

const closing = Buffer.from(`${B}--\r\n`, 'latin1');

describe('unframeEncrypted reads what peer clients write', () => {
  it('pywinrm ≥ 0.3 / pypsrp / masterzen NTLM', () => {
    const chunk = ntlmChunk(700);
    const [part, ...rest] = unframeEncrypted(Buffer.concat([tabbedPart(ENCRYPTION_PROTOCOL.spnego, chunk), closing]), 'Encrypted Boundary');
    expect(rest).toHaveLength(0);
    expect(part).toEqual({ protocol: ENCRYPTION_PROTOCOL.spnego, originalContentType: SOAP, originalLength: 700, header: chunk.header, data: chunk.data });
  });

  it('pywinrm 0.2, whose last line lacks the closing dashes', () => {
    const chunk = ntlmChunk(300);
    const body = Buffer.concat([tabbedPart(ENCRYPTION_PROTOCOL.spnego, chunk), Buffer.from(`${B}\r\n`)]);
    const [part] = unframeEncrypted(body, 'Encrypted Boundary');
    expect(part?.data.equals(chunk.data)).toBe(true);
  });

  it('pypsrp Kerberos with RC4 padding counted in Length', () => {
    const chunk: Chunk = { header: random.bytes(45), data: random.bytes(101), length: 101 };
    const [part] = unframeEncrypted(Buffer.concat([tabbedPart(ENCRYPTION_PROTOCOL.spnego, chunk), closing]), 'Encrypted Boundary');
    expect(part?.header.length).toBe(45);
    expect(part?.data.equals(chunk.data)).toBe(true);
  });

  it('pypsrp / pywinrm CredSSP over 16 KiB: x-multi-encrypted, trailer length field, TLS records longer than Length', () => {
    const tlsRecord = (plain: number): Buffer => Buffer.concat([Buffer.from([0x17, 0x03, 0x03]), random.bytes(plain + 24 + 2)]);
    const chunks = [16384, 16384, 8192].map((size) => {
      const record = tlsRecord(size);
      return { header: record.subarray(0, 16), data: record.subarray(16), length: size };
    });
    const body = Buffer.concat([...chunks.map((c) => tabbedPart(ENCRYPTION_PROTOCOL.credssp, c)), closing]);
    const parts = unframeEncrypted(body, 'Encrypted Boundary');
    expect(parts.map((p) => p.originalLength)).toEqual([16384, 16384, 8192]);
    parts.forEach((p, i) => {
      expect(p.protocol).toBe(ENCRYPTION_PROTOCOL.credssp);
      expect(Buffer.concat([p.header, p.data]).equals(Buffer.concat([chunks[i]?.header ?? Buffer.alloc(0), chunks[i]?.data ?? Buffer.alloc(0)]))).toBe(true);
    });
  });

  it("pypsrp's own test vector shape: data longer than Length", () => {
    const body = Buffer.from(
      `${B}\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n\tOriginalContent: type=${SOAP};Length=9\r\n` +
        `${B}\r\n\tContent-Type: application/octet-stream\r\n\x10\x00\x00\x00reallylongheaderplaintext-encrypted${B}--\r\n`,
      'latin1',
    );
    const [part] = unframeEncrypted(body, 'Encrypted Boundary');
    expect(part?.header.toString()).toBe('reallylongheader');
    expect(part?.data.toString()).toBe('plaintext-encrypted');
  });

  it('WinRb NTLM (no TAB)', () => {
    const chunk = ntlmChunk(512);
    const [part] = unframeEncrypted(Buffer.concat([untabbedPart(ENCRYPTION_PROTOCOL.spnego, chunk), closing]), 'Encrypted Boundary');
    expect(part?.data.equals(chunk.data)).toBe(true);
  });

  it('WinRb Kerberos heredoc: padding after the data, Length = N + pad, last line without dashes', () => {
    const pad = Buffer.from([1]);
    const chunk: Chunk = { header: random.bytes(60), data: random.bytes(200), length: 201 };
    const body = Buffer.concat([untabbedPart(ENCRYPTION_PROTOCOL.kerberos, chunk, pad), Buffer.from(`${B}\r\n`)]);
    const [part] = unframeEncrypted(body, 'Encrypted Boundary');
    expect(part?.protocol).toBe(ENCRYPTION_PROTOCOL.kerberos);
    expect(part?.originalLength).toBe(201);
    expect(part?.data.equals(Buffer.concat([chunk.data, pad]))).toBe(true);
  });

  it('OMI-style lower-case length=, reordered parameters and UTF-16', () => {
    const chunk = ntlmChunk(64);
    const text = `${B}\r\nContent-Type: application/HTTP-SPNEGO-session-encrypted\r\nOriginalContent: length=64;type=application/soap+xml;charset=UTF-16\r\n${B}\r\nContent-Type: application/octet-stream\r\n`;
    const body = Buffer.concat([Buffer.from(text, 'latin1'), le32(16), chunk.header, chunk.data, closing]);
    const [part] = unframeEncrypted(body, 'Encrypted Boundary');
    expect(part?.originalContentType).toBe('application/soap+xml;charset=UTF-16');
    expect(part?.originalLength).toBe(64);
    expect(part?.data.equals(chunk.data)).toBe(true);
  });

  it('Exchange-style "-- Encrypted Boundary", LF line ends, and a CRLF before the closing line', () => {
    const chunk = ntlmChunk(33);
    const text = `-- Encrypted Boundary\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\n\tOriginalContent: type=${SOAP};Length=33\n-- Encrypted Boundary\n\tContent-Type: application/octet-stream\n`;
    const body = Buffer.concat([Buffer.from(text, 'latin1'), le32(16), chunk.header, chunk.data, Buffer.from('\r\n-- Encrypted Boundary--\r\n')]);
    const [part] = unframeEncrypted(body, 'Encrypted Boundary');
    expect(part?.data.equals(chunk.data)).toBe(true);
  });

  it('a data length that disagrees with Length still ends at the structural boundary', () => {
    const chunk: Chunk = { header: random.bytes(16), data: random.bytes(90), length: 100 };
    const [part] = unframeEncrypted(Buffer.concat([tabbedPart(ENCRYPTION_PROTOCOL.spnego, chunk), closing]), 'Encrypted Boundary');
    expect(part?.data.equals(chunk.data)).toBe(true);
  });
});
