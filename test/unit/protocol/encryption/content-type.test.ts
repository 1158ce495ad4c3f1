import { describe, expect, it } from 'vitest';
import { ENCRYPTION_PROTOCOL, parseEncryptedContentType } from '../../../../protocol/encryption/multipart-encrypted.js';

describe('parseEncryptedContentType', () => {
  it.each([
    ['multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"', ENCRYPTION_PROTOCOL.spnego, false],
    ['multipart/x-multi-encrypted;protocol="application/HTTP-CredSSP-session-encrypted";boundary="Encrypted Boundary"', ENCRYPTION_PROTOCOL.credssp, true],
    ['multipart/encrypted; protocol = "application/HTTP-Kerberos-session-encrypted" ; boundary = "Encrypted Boundary"', ENCRYPTION_PROTOCOL.kerberos, false],
    ['Multipart/Encrypted;Protocol=application/http-spnego-session-encrypted;Boundary=Encrypted Boundary', ENCRYPTION_PROTOCOL.spnego, false],
    ['multipart/encrypted;boundary="Encrypted Boundary";protocol="application/HTTP-SPNEGO-session-encrypted"', ENCRYPTION_PROTOCOL.spnego, false],
    ['  multipart/encrypted ;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary";', ENCRYPTION_PROTOCOL.spnego, false],
  ])('reads %s', (header, protocol, multi) => {
    expect(parseEncryptedContentType(header)).toEqual({ protocol, boundary: 'Encrypted Boundary', multi });
  });

  it('keeps an unknown protocol and an unusual boundary as sent', () => {
    expect(parseEncryptedContentType('multipart/encrypted;protocol="application/x-other";boundary="a \\"b\\" c"')).toEqual({
      protocol: 'application/x-other',
      boundary: 'a "b" c',
      multi: false,
    });
  });

  it('assumes the only boundary in use when none is given', () => {
    expect(parseEncryptedContentType('multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted"')?.boundary).toBe(
      'Encrypted Boundary',
    );
  });

  it.each([
    ['plain SOAP', 'application/soap+xml;charset=UTF-8'],
    ['another multipart type', 'multipart/form-data;boundary="x"'],
    ['a missing protocol', 'multipart/encrypted;boundary="Encrypted Boundary"'],
    ['an empty protocol', 'multipart/encrypted;protocol="";boundary="Encrypted Boundary"'],
    ['an empty header', ''],
    ['a bare media type', 'multipart/encrypted'],
  ])('returns undefined for %s', (_label, header) => {
    expect(parseEncryptedContentType(header)).toBeUndefined();
  });
});
