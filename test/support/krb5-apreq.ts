/**
 * Hand-built Kerberos AP-REQs for refusal tests that no well-behaved client library can produce,
 * e.g. a still-fresh authenticator over an expired service ticket (MIT clients refuse to use an
 * expired ticket, so the acceptor's own expiry check is otherwise never reached).
 *
 * The ticket and session key come from a real credential cache (krb5-ccache.ts); the authenticator is
 * encrypted here with the RFC 3961/3962 aes*-cts-hmac-sha1-96 profile (etypes 17 and 18), wrapped in
 * an AP-REQ and GSS-framed (RFC 4121 §4.1). `readApRep` decrypts the acceptor's mutual-auth answer.
 *
 * Written independently of auth/kerberos (the code under test) on purpose, and checked against MIT's
 * own acceptor in test/interop/kdc.test.ts.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { CcacheCredential, CcachePrincipal } from './krb5-ccache.js';

// ---------------------------------------------------------------------------------------------
// RFC 3961 §5.1 n-fold, §5.3 key derivation, RFC 3962 AES-CTS with HMAC-SHA1-96

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function rotateRightBits(input: Buffer, bits: number): Buffer {
  const n = input.length * 8;
  const out = Buffer.alloc(input.length);
  const shift = ((bits % n) + n) % n;
  for (let i = 0; i < n; i++) {
    const from = (i - shift + n) % n;
    const bit = ((input[from >> 3] ?? 0) >> (7 - (from & 7))) & 1;
    if (bit === 1) out[i >> 3] = (out[i >> 3] ?? 0) | (1 << (7 - (i & 7)));
  }
  return out;
}

/** RFC 3961 n-fold of `input` to `outBytes` bytes. 128-fold("kerberos") = 6b657262 65726f73 7b9b5b2b 93132b93. */
export function nfold(input: Buffer, outBytes: number): Buffer {
  const inBytes = input.length;
  const lcm = (inBytes * outBytes) / gcd(inBytes, outBytes);
  const big = Buffer.alloc(lcm);
  for (let i = 0; i < lcm / inBytes; i++) rotateRightBits(input, 13 * i).copy(big, i * inBytes);
  const sum = new Array<number>(outBytes).fill(0);
  for (let off = 0; off < lcm; off += outBytes) {
    let carry = 0;
    for (let j = outBytes - 1; j >= 0; j--) {
      const s = (sum[j] ?? 0) + (big[off + j] ?? 0) + carry;
      sum[j] = s & 0xff;
      carry = s >> 8;
    }
    // one's-complement addition: wrap the carry around
    while (carry !== 0) {
      for (let j = outBytes - 1; j >= 0 && carry !== 0; j--) {
        const s = (sum[j] ?? 0) + carry;
        sum[j] = s & 0xff;
        carry = s >> 8;
      }
    }
  }
  return Buffer.from(sum);
}

function aesName(key: Buffer, mode: 'ecb' | 'cbc'): string {
  if (key.length !== 16 && key.length !== 32) throw new Error(`AES key of ${key.length} bytes`);
  return `aes-${key.length * 8}-${mode}`;
}

function aesEcbEncryptBlock(key: Buffer, block: Buffer): Buffer {
  const c = createCipheriv(aesName(key, 'ecb'), key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

function aesEcbDecryptBlock(key: Buffer, block: Buffer): Buffer {
  const d = createDecipheriv(aesName(key, 'ecb'), key, null);
  d.setAutoPadding(false);
  return Buffer.concat([d.update(block), d.final()]);
}

function aesCbc(key: Buffer, data: Buffer, encrypt: boolean): Buffer {
  const iv = Buffer.alloc(16);
  const c = encrypt ? createCipheriv(aesName(key, 'cbc'), key, iv) : createDecipheriv(aesName(key, 'cbc'), key, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

/** RFC 3962 CBC with ciphertext stealing, IV 0; input at least one block. */
export function aesCtsEncrypt(key: Buffer, plain: Buffer): Buffer {
  if (plain.length < 16) throw new Error('AES-CTS needs at least 16 bytes');
  if (plain.length === 16) return aesCbc(key, plain, true);
  const padded = Buffer.alloc(Math.ceil(plain.length / 16) * 16);
  plain.copy(padded);
  const c = aesCbc(key, padded, true);
  const n = c.length / 16;
  const d = plain.length - (n - 1) * 16;
  return Buffer.concat([c.subarray(0, (n - 2) * 16), c.subarray((n - 1) * 16), c.subarray((n - 2) * 16, (n - 2) * 16 + d)]);
}

export function aesCtsDecrypt(key: Buffer, cipher: Buffer): Buffer {
  if (cipher.length < 16) throw new Error('AES-CTS needs at least 16 bytes');
  if (cipher.length === 16) return aesCbc(key, cipher, false);
  const n = Math.ceil(cipher.length / 16);
  const d = cipher.length - (n - 1) * 16;
  const head = cipher.subarray(0, (n - 2) * 16);
  const penultimate = cipher.subarray((n - 2) * 16, (n - 1) * 16); // this is C(n) in CBC order
  const last = cipher.subarray((n - 1) * 16); // first d bytes of C(n-1)
  const x = aesEcbDecryptBlock(key, penultimate);
  const pn = Buffer.alloc(d);
  for (let i = 0; i < d; i++) pn[i] = (x[i] ?? 0) ^ (last[i] ?? 0);
  const cPrev = Buffer.concat([last, x.subarray(d)]);
  const front = aesCbc(key, Buffer.concat([head, cPrev]), false);
  return Buffer.concat([front, pn]);
}

/** RFC 3961 DK(key, constant) for AES (random-to-key is the identity). */
export function deriveKey(key: Buffer, constant: Buffer): Buffer {
  let block = nfold(constant, 16);
  const out: Buffer[] = [];
  let have = 0;
  while (have < key.length) {
    block = aesEcbEncryptBlock(key, block);
    out.push(block);
    have += block.length;
  }
  return Buffer.concat(out).subarray(0, key.length);
}

function usageConstant(usage: number, suffix: number): Buffer {
  const c = Buffer.alloc(5);
  c.writeUInt32BE(usage, 0);
  c[4] = suffix;
  return c;
}

function checkEtype(etype: number, key: Buffer): void {
  const expected = etype === 17 ? 16 : etype === 18 ? 32 : undefined;
  if (expected === undefined) {
    throw new Error(`hand-built AP-REQs support only aes128/aes256-cts-hmac-sha1-96 (etypes 17, 18), not etype ${etype}`);
  }
  if (key.length !== expected) throw new Error(`etype ${etype} key has ${key.length} bytes`);
}

/** RFC 3961 simplified profile encrypt: AES-CTS(Ke, confounder ‖ plain) ‖ HMAC-SHA1-96(Ki, confounder ‖ plain). */
export function krbEncrypt(etype: number, key: Buffer, usage: number, plain: Buffer, confounder = randomBytes(16)): Buffer {
  checkEtype(etype, key);
  const ke = deriveKey(key, usageConstant(usage, 0xaa));
  const ki = deriveKey(key, usageConstant(usage, 0x55));
  const data = Buffer.concat([confounder, plain]);
  const mac = createHmac('sha1', ki).update(data).digest().subarray(0, 12);
  return Buffer.concat([aesCtsEncrypt(ke, data), mac]);
}

export function krbDecrypt(etype: number, key: Buffer, usage: number, cipher: Buffer): Buffer {
  checkEtype(etype, key);
  if (cipher.length < 16 + 12) throw new Error('ciphertext too short');
  const ke = deriveKey(key, usageConstant(usage, 0xaa));
  const ki = deriveKey(key, usageConstant(usage, 0x55));
  const data = aesCtsDecrypt(ke, cipher.subarray(0, cipher.length - 12));
  const mac = createHmac('sha1', ki).update(data).digest().subarray(0, 12);
  if (!timingSafeEqual(mac, cipher.subarray(cipher.length - 12))) throw new Error('integrity check failed');
  return data.subarray(16);
}

// ---------------------------------------------------------------------------------------------
// DER

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

function derInt(value: number): Buffer {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  const bytes: number[] = [];
  let v = BigInt(value);
  for (;;) {
    bytes.unshift(Number(v & 0xffn));
    const next = v >> 8n;
    const byte = bytes[0] ?? 0;
    if ((next === 0n && (byte & 0x80) === 0) || (next === -1n && (byte & 0x80) !== 0)) break;
    v = next;
  }
  return tlv(0x02, Buffer.from(bytes));
}

const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const ctx = (n: number, content: Buffer): Buffer => tlv(0xa0 + n, content);
const app = (n: number, content: Buffer): Buffer => tlv(0x60 + n, content);
const generalString = (s: string): Buffer => tlv(0x1b, Buffer.from(s, 'utf8'));
const octets = (b: Buffer): Buffer => tlv(0x04, b);

function kerberosTime(date: Date): Buffer {
  const iso = date.toISOString(); // 2024-01-02T03:04:05.678Z
  const text = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x18, Buffer.from(text, 'ascii'));
}

function principalName(p: CcachePrincipal): Buffer {
  return seq(ctx(0, derInt(p.nameType)), ctx(1, seq(...p.components.map(generalString))));
}

interface Der {
  tag: number;
  content: Buffer;
  /** Bytes after this element. */
  rest: Buffer;
}

function readDer(buf: Buffer): Der {
  if (buf.length < 2) throw new Error('DER truncated');
  const tag = buf[0] ?? 0;
  let len = buf[1] ?? 0;
  let off = 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    if (count === 0 || count > 4 || buf.length < 2 + count) throw new Error('bad DER length');
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + (buf[2 + i] ?? 0);
    off = 2 + count;
  }
  if (buf.length < off + len) throw new Error('DER truncated');
  return { tag, content: buf.subarray(off, off + len), rest: buf.subarray(off + len) };
}

/** The context-tagged fields [n] of a SEQUENCE's content. */
function fields(content: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let rest = content;
  while (rest.length > 0) {
    const el = readDer(rest);
    if (el.tag >= 0xa0 && el.tag <= 0xbe) out.set(el.tag - 0xa0, el.content);
    rest = el.rest;
  }
  return out;
}

function readInt(buf: Buffer): number {
  const el = readDer(buf);
  if (el.tag !== 0x02 || el.content.length === 0 || el.content.length > 6) throw new Error('bad INTEGER');
  let v = (el.content[0] ?? 0) & 0x80 ? -1 : 0;
  for (const b of el.content) v = v * 256 + b;
  return v;
}

// ---------------------------------------------------------------------------------------------
// GSS krb5 tokens

const KRB5_OID = Buffer.from('06092a864886f712010202', 'hex');
const TOK_AP_REQ = Buffer.from([0x01, 0x00]);
const TOK_AP_REP = Buffer.from([0x02, 0x00]);
const TOK_KRB_ERROR = Buffer.from([0x03, 0x00]);

/** GSS flags carried in the 0x8003 checksum (RFC 4121 §4.1.1.1). */
export const GSS_FLAGS = {
  deleg: 0x1,
  mutual: 0x2,
  replay: 0x4,
  sequence: 0x8,
  conf: 0x10,
  integ: 0x20,
} as const;

export interface ApReqOptions {
  /** The authenticator's ctime; default now. */
  ctime?: Date;
  /** GSS flags; default mutual | replay | sequence | conf | integ. */
  gssFlags?: number;
  /** RFC 5929 application data (`tls-server-end-point:` ‖ hash) to bind; default none (all-zero Bnd). */
  channelBindingData?: Buffer;
  /** ap-options mutual-required; default true. */
  mutualRequired?: boolean;
  /** Initial sequence number for the authenticator; default random 31-bit. */
  seqNumber?: number;
}

export interface BuiltApReq {
  /** GSS InitialContextToken: `60 ..` OID krb5, TOK_ID 01 00, AP-REQ. Base64 it into `Authorization: Kerberos`. */
  token: Buffer;
  ctime: Date;
  cusec: number;
  seqNumber: number;
}

/** The MD5 of the GSS channel-bindings structure with only application data (RFC 4121 §4.1.1.2). */
export function channelBindingHash(applicationData: Buffer | undefined): Buffer {
  if (applicationData === undefined) return Buffer.alloc(16);
  const head = Buffer.alloc(20);
  head.writeUInt32LE(applicationData.length, 16);
  return createHash('md5').update(Buffer.concat([head, applicationData])).digest();
}

/** Builds a GSS-framed AP-REQ presenting `cred.ticket` with a fresh authenticator under `cred.key`. */
export function buildApReq(cred: CcacheCredential, opts: ApReqOptions = {}): BuiltApReq {
  const now = opts.ctime ?? new Date();
  const ctime = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const cusec = randomInt(0, 1_000_000);
  const seqNumber = opts.seqNumber ?? randomInt(0, 0x7fffffff);
  const checksum = Buffer.alloc(24);
  checksum.writeUInt32LE(16, 0);
  channelBindingHash(opts.channelBindingData).copy(checksum, 4);
  const flags = opts.gssFlags ?? GSS_FLAGS.mutual | GSS_FLAGS.replay | GSS_FLAGS.sequence | GSS_FLAGS.conf | GSS_FLAGS.integ;
  checksum.writeUInt32LE(flags, 20);

  const authenticator = app(
    2,
    seq(
      ctx(0, derInt(5)),
      ctx(1, generalString(cred.client.realm)),
      ctx(2, principalName(cred.client)),
      ctx(3, seq(ctx(0, derInt(0x8003)), ctx(1, octets(checksum)))),
      ctx(4, derInt(cusec)),
      ctx(5, kerberosTime(ctime)),
      ctx(7, derInt(seqNumber)),
    ),
  );
  const encrypted = krbEncrypt(cred.keyType, cred.key, 11, authenticator);
  const apOptions = Buffer.from([0x03, 0x05, 0x00, opts.mutualRequired === false ? 0x00 : 0x20, 0x00, 0x00, 0x00]);
  const apReq = app(
    14,
    seq(
      ctx(0, derInt(5)),
      ctx(1, derInt(14)),
      ctx(2, apOptions),
      ctx(3, cred.ticket),
      ctx(4, seq(ctx(0, derInt(cred.keyType)), ctx(2, octets(encrypted)))),
    ),
  );
  const token = app(0, Buffer.concat([KRB5_OID, TOK_AP_REQ, apReq]));
  return { token, ctime, cusec, seqNumber };
}

export interface ApRepInfo {
  /** ctime and cusec echoed from the authenticator. */
  ctime: string;
  cusec: number;
  subkeyType: number | undefined;
  /** The acceptor subkey's bytes, which wrap tokens are made under (RFC 4121 §2). */
  subkey: Buffer | undefined;
  seqNumber: number | undefined;
}

/** Unframes a GSS krb5 token; returns the TOK_ID and the inner Kerberos message. */
export function unframeGss(token: Buffer): { tokId: Buffer; message: Buffer } {
  const outer = readDer(token);
  if (outer.tag !== 0x60) throw new Error(`not a GSS token (tag 0x${outer.tag.toString(16)})`);
  if (!outer.content.subarray(0, KRB5_OID.length).equals(KRB5_OID)) throw new Error('GSS token is not krb5');
  const after = outer.content.subarray(KRB5_OID.length);
  return { tokId: after.subarray(0, 2), message: after.subarray(2) };
}

/**
 * Decrypts a GSS-framed AP-REP (the acceptor's mutual-auth token) with the ticket session key
 * (key usage 12). Throws on a KRB-ERROR token or a failed integrity check.
 */
export function readApRep(token: Buffer, cred: CcacheCredential): ApRepInfo {
  const { tokId, message } = unframeGss(token);
  if (tokId.equals(TOK_KRB_ERROR)) throw new Error('the acceptor answered with a KRB-ERROR token');
  if (!tokId.equals(TOK_AP_REP)) throw new Error(`unexpected TOK_ID ${tokId.toString('hex')}`);
  const apRep = readDer(message);
  if (apRep.tag !== 0x6f) throw new Error('not an AP-REP');
  const f = fields(readDer(apRep.content).content);
  const encPart = f.get(2);
  if (encPart === undefined) throw new Error('AP-REP without enc-part');
  const ef = fields(readDer(encPart).content);
  const etypeField = ef.get(0);
  const cipherField = ef.get(2);
  if (etypeField === undefined || cipherField === undefined) throw new Error('bad EncryptedData');
  const etype = readInt(etypeField);
  if (etype !== cred.keyType) throw new Error(`AP-REP encrypted with etype ${etype}, session key is ${cred.keyType}`);
  const plain = krbDecrypt(etype, cred.key, 12, readDer(cipherField).content);
  const encApRepPart = readDer(plain);
  if (encApRepPart.tag !== 0x7b) throw new Error('not an EncAPRepPart');
  const pf = fields(readDer(encApRepPart.content).content);
  const ctimeField = pf.get(0);
  const cusecField = pf.get(1);
  if (ctimeField === undefined || cusecField === undefined) throw new Error('EncAPRepPart without ctime/cusec');
  const subkey = pf.get(2);
  const seqField = pf.get(3);
  let subkeyType: number | undefined;
  let subkeyValue: Buffer | undefined;
  if (subkey !== undefined) {
    const keyFields = fields(readDer(subkey).content);
    const kt = keyFields.get(0);
    const kv = keyFields.get(1);
    subkeyType = kt === undefined ? undefined : readInt(kt);
    subkeyValue = kv === undefined ? undefined : readDer(kv).content;
  }
  return {
    ctime: readDer(ctimeField).content.toString('ascii'),
    cusec: readInt(cusecField),
    subkeyType,
    subkey: subkeyValue,
    seqNumber: seqField === undefined ? undefined : readInt(seqField),
  };
}

/** The KerberosTime text a ctime is sent as, to compare with `ApRepInfo.ctime`. */
export function kerberosTimeText(date: Date): string {
  return readDer(kerberosTime(date)).content.toString('ascii');
}
