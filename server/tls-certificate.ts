import { X509Certificate } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsIdentity {
  readonly cert: string;
  readonly key: string;
  /** SHA-256 of the certificate's DER, upper-case hex: what a client pins. */
  readonly thumbprintSha256: string;
  readonly source: 'configured' | 'generated' | 'state-dir';
}

const CERT_FILE = 'https-cert.pem';
const KEY_FILE = 'https-key.pem';
/** Windows' self-signed WinRM certificates last a year; a lab keeps its state longer, so ten. */
const VALIDITY_YEARS = 10;

/**
 * The HTTPS identity: the configured PEM files, else the one kept in the state directory, else a
 * new self-signed certificate for this host (also valid for localhost and 127.0.0.1), kept there.
 */
export async function loadTlsIdentity(certFile: string, keyFile: string, stateDir: string): Promise<TlsIdentity> {
  if (certFile !== '' || keyFile !== '') {
    if (certFile === '' || keyFile === '') {
      throw new Error('Listener.HTTPS.CertificateFile and Listener.HTTPS.KeyFile must be set together');
    }
    return identity(await readFile(certFile, 'utf8'), await readFile(keyFile, 'utf8'), 'configured');
  }
  const certPath = join(stateDir, CERT_FILE);
  const keyPath = join(stateDir, KEY_FILE);
  const existing = await readPair(certPath, keyPath);
  if (existing !== undefined) return identity(existing.cert, existing.key, 'state-dir');

  const host = hostname();
  const notAfterDate = new Date();
  notAfterDate.setFullYear(notAfterDate.getFullYear() + VALIDITY_YEARS);
  const pems = await generate([{ name: 'commonName', value: host }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: host },
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await chmod(keyPath, 0o600);
  await writeFile(certPath, pems.cert, { mode: 0o644 });
  return identity(pems.cert, pems.private, 'generated');
}

async function readPair(certPath: string, keyPath: string): Promise<{ cert: string; key: string } | undefined> {
  try {
    return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function identity(cert: string, key: string, source: TlsIdentity['source']): TlsIdentity {
  const thumbprintSha256 = new X509Certificate(cert).fingerprint256.replaceAll(':', '').toUpperCase();
  return { cert, key, thumbprintSha256, source };
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
