/**
 * Reads MIT `FILE:` credential caches (format versions 3 and 4, all integers big-endian), so tests can
 * take a real service ticket and its session key out of a cache that kinit/kvno filled, e.g. to build
 * an AP-REQ by hand (see krb5-apreq.ts). Test support only: nothing here checks anything cryptographic.
 */
import { readFile } from 'node:fs/promises';

export interface CcachePrincipal {
  nameType: number;
  realm: string;
  components: string[];
}

export interface CcacheCredential {
  client: CcachePrincipal;
  server: CcachePrincipal;
  /** Session key enctype (17 aes128-cts-hmac-sha1-96, 18 aes256-cts-hmac-sha1-96, 23 rc4-hmac, ...). */
  keyType: number;
  key: Buffer;
  /** Seconds since the epoch. */
  authTime: number;
  startTime: number;
  endTime: number;
  renewTill: number;
  isSkey: boolean;
  ticketFlags: number;
  /** DER of the Ticket ([APPLICATION 1]) as the KDC sent it. */
  ticket: Buffer;
}

export interface Ccache {
  version: number;
  defaultPrincipal: CcachePrincipal;
  /** Real credentials, without the `X-CACHECONF:` configuration entries. */
  credentials: CcacheCredential[];
}

class Reader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.offset >= this.buf.length;
  }

  private need(n: number): void {
    if (this.offset + n > this.buf.length) throw new Error(`ccache truncated at byte ${this.offset} (need ${n} more)`);
  }

  u8(): number {
    this.need(1);
    const v = this.buf.readUInt8(this.offset);
    this.offset += 1;
    return v;
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return Buffer.from(v);
  }

  data(): Buffer {
    return this.bytes(this.u32());
  }
}

function readPrincipal(r: Reader, version: number): CcachePrincipal {
  const nameType = version === 0x0501 ? 0 : r.u32();
  let count = r.u32();
  if (version === 0x0501) count -= 1; // v1 counts the realm as a component
  const realm = r.data().toString('utf8');
  const components: string[] = [];
  for (let i = 0; i < count; i++) components.push(r.data().toString('utf8'));
  return { nameType, realm, components };
}

export function parseCcache(buf: Buffer): Ccache {
  const r = new Reader(buf);
  const version = r.u16();
  if (version !== 0x0503 && version !== 0x0504) {
    throw new Error(`unsupported ccache version 0x${version.toString(16)} (only MIT FILE caches v3/v4 are read)`);
  }
  if (version === 0x0504) r.bytes(r.u16()); // header tags (KDC time offset), not needed
  const defaultPrincipal = readPrincipal(r, version);
  const credentials: CcacheCredential[] = [];
  while (!r.done) {
    const client = readPrincipal(r, version);
    const server = readPrincipal(r, version);
    const keyType = r.u16();
    const key = r.data();
    const authTime = r.u32();
    const startTime = r.u32();
    const endTime = r.u32();
    const renewTill = r.u32();
    const isSkey = r.u8() !== 0;
    const ticketFlags = r.u32();
    const addresses = r.u32();
    for (let i = 0; i < addresses; i++) {
      r.u16();
      r.data();
    }
    const authData = r.u32();
    for (let i = 0; i < authData; i++) {
      r.u16();
      r.data();
    }
    const ticket = r.data();
    r.data(); // second ticket
    if (server.realm === 'X-CACHECONF:') continue;
    credentials.push({ client, server, keyType, key, authTime, startTime, endTime, renewTill, isSkey, ticketFlags, ticket });
  }
  return { version, defaultPrincipal, credentials };
}

/** Reads a cache named `FILE:/path` or `/path`. */
export async function readCcache(name: string): Promise<Ccache> {
  if (/^[A-Z]+:/.test(name) && !name.startsWith('FILE:')) throw new Error(`only FILE: caches can be read, not ${name}`);
  return parseCcache(await readFile(name.replace(/^FILE:/, '')));
}

export function principalText(p: CcachePrincipal): string {
  return `${p.components.join('/')}@${p.realm}`;
}

/** The credential for a service principal such as `HTTP/localhost` (realm optional), or undefined. */
export function findCredential(cache: Ccache, service: string): CcacheCredential | undefined {
  const wanted = service.toLowerCase();
  return cache.credentials.find((c) => {
    const full = principalText(c.server).toLowerCase();
    return full === wanted || full.slice(0, full.lastIndexOf('@')) === wanted;
  });
}
