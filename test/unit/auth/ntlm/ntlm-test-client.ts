/**
 * A small NTLMv2 initiator for the tests, written from MS-NLMP 3.1.5 independently of the
 * acceptor's parsers and key derivation (only the RFC-vectored MD4 and RC4 are shared). Options
 * let a test produce each kind of bad AUTHENTICATE_MESSAGE.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { md4 } from '../../../../auth/ntlm/md4.js';
import { Rc4 } from '../../../../auth/ntlm/rc4.js';

export const CLIENT_FLAGS = 0xe20882b7; // what Windows 10 clients send in NEGOTIATE for WinRM

const hmac = (key: Buffer, ...parts: Buffer[]): Buffer => {
  const h = createHmac('md5', key);
  for (const part of parts) h.update(part);
  return h.digest();
};
const u16 = (text: string): Buffer => Buffer.from(text, 'utf16le');
const le16 = (n: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; };
const le32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; };
const avPair = (id: number, value: Buffer): Buffer => Buffer.concat([le16(id), le16(value.length), value]);

export function buildNegotiate(flags = CLIENT_FLAGS): Buffer {
  return Buffer.concat([Buffer.from('NTLMSSP\0', 'latin1'), le32(1), le32(flags), Buffer.alloc(16), Buffer.from('0a00614a0000000f', 'hex')]);
}

/** The CHALLENGE_MESSAGE fields the client needs, read straight from the bytes. */
export function readChallenge(challenge: Buffer): { flags: number; serverChallenge: Buffer; targetInfo: Buffer; timestamp: Buffer | undefined } {
  const infoLength = challenge.readUInt16LE(40);
  const infoOffset = challenge.readUInt32LE(44);
  const targetInfo = challenge.subarray(infoOffset, infoOffset + infoLength);
  let timestamp: Buffer | undefined;
  for (let at = 0; at + 4 <= targetInfo.length; ) {
    const id = targetInfo.readUInt16LE(at);
    const length = targetInfo.readUInt16LE(at + 2);
    if (id === 7) timestamp = targetInfo.subarray(at + 4, at + 4 + length);
    if (id === 0) break;
    at += 4 + length;
  }
  return { flags: challenge.readUInt32LE(20), serverChallenge: challenge.subarray(24, 32), targetInfo, timestamp };
}

export interface AuthenticateOptions {
  readonly user: string;
  readonly domain: string;
  readonly password: string;
  /** Domain used in NTOWFv2 when it differs from the one sent (clients that hash an empty domain). */
  readonly hashDomain?: string;
  readonly flags?: number;
  readonly mic?: boolean;
  /** 16-byte MsvAvChannelBindings value to include. */
  readonly channelBindings?: Buffer;
  readonly timestamp?: Buffer;
  readonly ntResponse?: Buffer;
  readonly lmResponse?: Buffer;
  readonly exportedSessionKey?: Buffer;
  /** Changes a MIC-covered byte after computing the MIC. */
  readonly tamperAfterMic?: (message: Buffer) => void;
}

export interface ClientResult {
  readonly message: Buffer;
  readonly exportedSessionKey: Buffer;
  readonly flags: number;
}

/** Builds the AUTHENTICATE_MESSAGE for a CHALLENGE_MESSAGE (MS-NLMP 3.1.5.1.2). */
export function buildAuthenticate(negotiate: Buffer, challenge: Buffer, options: AuthenticateOptions): ClientResult {
  const parsed = readChallenge(challenge);
  const flags = options.flags ?? ((parsed.flags & ~0x00000002) >>> 0);
  const withMic = options.mic ?? true;
  const responseKey = hmac(md4(u16(options.password)), u16(options.user.toUpperCase() + (options.hashDomain ?? options.domain)));

  const pairs: Buffer[] = [];
  for (let at = 0; at + 4 <= parsed.targetInfo.length; ) {
    const id = parsed.targetInfo.readUInt16LE(at);
    const length = parsed.targetInfo.readUInt16LE(at + 2);
    if (id === 0) break;
    pairs.push(parsed.targetInfo.subarray(at, at + 4 + length));
    at += 4 + length;
  }
  if (withMic) pairs.push(avPair(6, le32(2)));
  if (options.channelBindings) pairs.push(avPair(10, options.channelBindings));
  pairs.push(avPair(9, u16('HTTP/srv01.example.test')), avPair(0, Buffer.alloc(0)));

  const timestamp = options.timestamp ?? parsed.timestamp ?? Buffer.alloc(8);
  const temp = Buffer.concat([Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]), timestamp, randomBytes(8), Buffer.alloc(4), ...pairs, Buffer.alloc(4)]);
  const proof = hmac(responseKey, parsed.serverChallenge, temp);
  const ntResponse = options.ntResponse ?? Buffer.concat([proof, temp]);
  const keyExchangeKey = hmac(responseKey, proof);
  const exportedSessionKey = options.exportedSessionKey ?? randomBytes(16);
  const keyExch = (flags & 0x40000000) !== 0;
  const encryptedKey = keyExch ? new Rc4(keyExchangeKey).process(exportedSessionKey) : Buffer.alloc(0);
  const sessionKey = keyExch ? exportedSessionKey : keyExchangeKey;

  const payloads = [options.lmResponse ?? Buffer.alloc(24), ntResponse, u16(options.domain), u16(options.user), u16('CLIENT01'), encryptedKey];
  const header = Buffer.alloc(88);
  header.write('NTLMSSP\0', 0, 'latin1');
  header.writeUInt32LE(3, 8);
  let offset = 88;
  payloads.forEach((payload, i) => {
    header.writeUInt16LE(payload.length, 12 + i * 8);
    header.writeUInt16LE(payload.length, 14 + i * 8);
    header.writeUInt32LE(offset, 16 + i * 8);
    offset += payload.length;
  });
  header.writeUInt32LE(flags, 60);
  Buffer.from('0a00614a0000000f', 'hex').copy(header, 64);
  const message = Buffer.concat([header, ...payloads]);
  if (withMic) hmac(sessionKey, negotiate, challenge, message).copy(message, 72);
  options.tamperAfterMic?.(message);
  return { message, exportedSessionKey: sessionKey, flags };
}

/** Client-side sealing with its own key derivation (MS-NLMP 3.4.5.2–3.4.5.3, 3.4.3). */
export class TestClientSession {
  readonly #signOut: Buffer;
  readonly #signIn: Buffer;
  readonly #out: Rc4;
  readonly #in: Rc4;
  #seqOut = 0;
  #seqIn = 0;

  constructor(exportedSessionKey: Buffer) {
    const key = (text: string): Buffer => createHash('md5').update(exportedSessionKey).update(`${text}\0`, 'latin1').digest();
    this.#signOut = key('session key to client-to-server signing key magic constant');
    this.#signIn = key('session key to server-to-client signing key magic constant');
    this.#out = new Rc4(key('session key to client-to-server sealing key magic constant'));
    this.#in = new Rc4(key('session key to server-to-client sealing key magic constant'));
  }

  #lastOut = 0;
  #lastIn = 0;

  seal(plaintext: Buffer, seq = this.#seqOut++): { header: Buffer; data: Buffer } {
    this.#lastOut = plaintext.length;
    const data = this.#out.process(plaintext);
    const checksum = this.#out.process(hmac(this.#signOut, le32(seq), plaintext).subarray(0, 8));
    return { header: Buffer.concat([le32(1), checksum, le32(seq)]), data };
  }

  /** Returns the plaintext, or throws a plain Error when the server's signature is wrong. */
  unseal(message: { header: Buffer; data: Buffer }): Buffer {
    this.#lastIn = message.data.length;
    const plaintext = this.#in.process(message.data);
    const seq = this.#seqIn++;
    const checksum = this.#in.process(hmac(this.#signIn, le32(seq), plaintext).subarray(0, 8));
    const expected = Buffer.concat([le32(1), checksum, le32(seq)]);
    if (!expected.equals(message.header)) throw new Error(`server signature wrong at seq ${seq}`);
    return plaintext;
  }

  /** RC4 key stream made ahead for messages as large as the last ones (the load generator's idle time). */
  prepare(): void {
    this.#out.prepare(this.#lastOut + 8);
    this.#in.prepare(this.#lastIn + 8);
  }
}
