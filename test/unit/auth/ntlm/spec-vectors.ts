/**
 * MS-NLMP 4.2.1 / 4.2.4 example values (User "User", Domain "Domain", Password "Password",
 * ServerChallenge 0123456789abcdef, ClientChallenge aa×8, Time 0, RandomSessionKey 55×16).
 */
const hex = (value: string): Buffer => Buffer.from(value.replace(/\s+/g, ''), 'hex');

export const SERVER_CHALLENGE = hex('0123456789abcdef');
export const RANDOM_SESSION_KEY = Buffer.alloc(16, 0x55);

/** 4.2.4.1.1 NTOWFv2 / ResponseKeyNT. */
export const RESPONSE_KEY_NT = hex('0c868a403bfd7a93a3001ef22ef02e3f');
/** 4.2.4.2.2 NTLMv2 Response: NTProofStr, and the `temp` it covers. */
export const NT_PROOF_STR = hex('68cd0ab851e51c96aabc927bebef6a1c');
export const TEMP = hex(`
  01010000 00000000 00000000 00000000 aaaaaaaa aaaaaaaa 00000000
  02000c00 44006f00 6d006100 69006e00 01000c00 53006500 72007600 65007200 00000000
  00000000`);
/** 4.2.4.1.2 Session Base Key, and 4.2.4.2.3 Encrypted Session Key. */
export const SESSION_BASE_KEY = hex('8de40ccadbc14a82f15cb0ad0de95ca3');
export const ENCRYPTED_SESSION_KEY = hex('c5dad2544fc9799094ce1ce90bc9d03e');

/** 4.2.4.3 CHALLENGE_MESSAGE. */
export const CHALLENGE_MESSAGE = hex(`
  4e544c4d53535000 02000000 0c000c00 38000000 33828ae2 0123456789abcdef 0000000000000000
  24002400 44000000 060070170000000f
  530065007200760065007200
  02000c00 44006f006d00610069006e00 01000c00 530065007200760065007200 00000000`);

/** 4.2.4.3 AUTHENTICATE_MESSAGE (NTLMv2, no MIC). */
export const AUTHENTICATE_MESSAGE = hex(`
  4e544c4d53535000 03000000
  18001800 6c000000  54005400 84000000  0c000c00 48000000
  08000800 54000000  10001000 5c000000  10001000 d8000000
  358288e2 0501280a0000000f
  44006f006d00610069006e00 5500730065007200 43004f004d0050005500540045005200
  86c35097ac9cec102554764a57cccc19 aaaaaaaaaaaaaaaa
  68cd0ab851e51c96aabc927bebef6a1c
  01010000 00000000 0000000000000000 aaaaaaaaaaaaaaaa 00000000
  02000c00 44006f006d00610069006e00 01000c00 530065007200760065007200 00000000 00000000
  c5dad2544fc9799094ce1ce90bc9d03e`);

/** 4.2.4.4 GSS_WrapEx: "Plaintext" in UTF-16LE sealed with the client keys at sequence 0. */
export const PLAINTEXT = Buffer.from('Plaintext', 'utf16le');
export const SEALED = hex('54e50165bf1936dc996020c1811b0f06fb5f');
export const SIGNATURE = hex('010000007fb38ec5c55d497600000000');
/** The signature without KEY_EXCH (the checksum left unencrypted); from pyspnego's tests. */
export const SIGNATURE_NO_KEY_EXCH = hex('0100000070352851f256430900000000');

/** SEALKEY and SIGNKEY for ExportedSessionKey = 55×16 (4.2.4.4, and pyspnego's test_crypto.py). */
export const KEYS = {
  clientSealing128: hex('59f600973cc4960a25480a7c196e4c58'),
  serverSealing128: hex('9355f3a957c1583d25c4c2f11e40390e'),
  clientSealing56: hex('a5f7253c1065e8d3d68642040e71cfe0'),
  serverSealing56: hex('583e2f98959b385cd158f3734b5f5d3f'),
  clientSealing40: hex('42f964a471091a02ff4a77455366e4e5'),
  serverSealing40: hex('c5d3853b406b7c1241c595f0ce0750e2'),
  clientSigning: hex('4788dc861b4782f35d43fd98fe1a2d39'),
  serverSigning: hex('d04d6f10741041d1d246d64188d7a8ad'),
};
