/**
 * An NTLM NEGOTIATE_MESSAGE to start a handshake with, and a reader for the CHALLENGE_MESSAGE that
 * comes back (MS-NLMP 2.2.1.1, 2.2.1.2, 2.2.2.1, 2.2.2.10): what netexec and nmap's ntlm-info
 * print about a host. Written from the specification, independent of the server's auth/ntlm.
 */

/** UNICODE | OEM | REQUEST_TARGET | SIGN | SEAL | NTLM | ALWAYS_SIGN | EXTENDED_SESSIONSECURITY | VERSION | 128 | KEY_EXCH | 56. */
const CLIENT_FLAGS = 0xe2088297;

export function negotiateMessage(): Buffer {
  const message = Buffer.alloc(40);
  message.write('NTLMSSP\0', 0, 'latin1');
  message.writeUInt32LE(1, 8);
  message.writeUInt32LE(CLIENT_FLAGS, 12);
  // Domain and workstation fields empty; Version 10.0.19041, NTLM revision 15.
  message.writeUInt8(10, 32);
  message.writeUInt16LE(19041, 34);
  message.writeUInt8(15, 39);
  return message;
}

export interface ChallengeView {
  readonly targetName: string;
  readonly version: { readonly major: number; readonly minor: number; readonly build: number; readonly revision: number };
  readonly netbiosComputer: string | undefined;
  readonly netbiosDomain: string | undefined;
  readonly dnsComputer: string | undefined;
  readonly dnsDomain: string | undefined;
  /** AvIds in the order they came. */
  readonly avIds: readonly number[];
}

export function parseChallenge(message: Buffer): ChallengeView {
  if (message.toString('latin1', 0, 8) !== 'NTLMSSP\0' || message.readUInt32LE(8) !== 2) throw new Error('not a CHALLENGE_MESSAGE');
  const field = (offset: number): Buffer => {
    const length = message.readUInt16LE(offset);
    const start = message.readUInt32LE(offset + 4);
    return message.subarray(start, start + length);
  };
  const targetInfo = field(40);
  const pairs = new Map<number, string>();
  const avIds: number[] = [];
  for (let at = 0; at + 4 <= targetInfo.length; ) {
    const id = targetInfo.readUInt16LE(at);
    const length = targetInfo.readUInt16LE(at + 2);
    avIds.push(id);
    if (id === 0) break;
    pairs.set(id, targetInfo.toString('utf16le', at + 4, at + 4 + length));
    at += 4 + length;
  }
  return {
    targetName: field(12).toString('utf16le'),
    version: { major: message.readUInt8(48), minor: message.readUInt8(49), build: message.readUInt16LE(50), revision: message.readUInt8(55) },
    netbiosComputer: pairs.get(1),
    netbiosDomain: pairs.get(2),
    dnsComputer: pairs.get(3),
    dnsDomain: pairs.get(4),
    avIds,
  };
}
