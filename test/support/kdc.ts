/**
 * A real MIT KDC (Debian's krb5-kdc) in a throw-away realm, for the Kerberos interop tests.
 *
 * Everything lives in a fresh temp directory: kdc.conf, krb5.conf, the database and its stash, the
 * ACL file, logs, credential caches and the exported service keytab. The KDC listens on 127.0.0.1
 * only, on a UDP+TCP port picked free at start. Nothing reads or writes the system's /etc/krb5.conf,
 * /etc/krb5kdc or /tmp/krb5cc_*: every command runs with KRB5_CONFIG / KRB5_KDC_PROFILE / KRB5CCNAME
 * pointing into the directory (see `env()`).
 *
 * Needs the binaries of Debian's krb5-kdc (krb5kdc, kdb5_util), krb5-admin-server (kadmin.local) and
 * krb5-user (kinit, klist, kvno); scripts/test.sh installs them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { constants as fsConstants, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { canConnect } from './port-probe.js';
import { waitForExit } from './child-exit.js';

export interface KdcUser {
  /** Principal name without the realm, e.g. `alice`. */
  name: string;
  password: string;
}

export interface StartKdcOptions {
  /** Default `WINRMD.TEST`. */
  realm?: string;
  users: KdcUser[];
  /** Service principals without the realm, e.g. `HTTP/localhost`; created with random keys and exported to `keytab`. */
  services: string[];
  /**
   * `enctype:salt` pairs the KDC supports (kdc.conf `supported_enctypes`); principals get keys of these
   * types. Default: aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal.
   */
  supportedEnctypes?: string[];
  /**
   * Client enctypes in preference order (krb5.conf permitted_enctypes, default_tkt_enctypes,
   * default_tgs_enctypes). Default: aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96
   * aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128 rc4-hmac (the SHA-1 AES types come first,
   * so session keys are aes256-cts-hmac-sha1-96 unless a test asks for another type).
   */
  clientEnctypes?: string[];
  /**
   * Let the KDC issue RC4 (and 3DES) session keys: krb5.conf `allow_rc4 = true` (Debian's krb5 since
   * 1.20.1-2+deb12u4 refuses them otherwise, CVE-2025-3576). Default false.
   */
  allowRc4?: boolean;
  /** How the service keytab is exported (see `ExportKeytabOptions`); default one ktadd of every service. */
  keytab?: Omit<ExportKeytabOptions, 'path'>;
}

export interface ExportKeytabOptions {
  /** Keytab file to write (appended to when it exists). Default: `<dir>/http.keytab`. */
  path?: string;
  /** `ktadd -e` list, e.g. ['aes256-cts-hmac-sha1-96:normal', 'rc4-hmac:normal']; default the KDC's supported_enctypes. */
  enctypes?: string[];
  /**
   * Number of `ktadd` rounds. Each round gives the principal fresh random keys with the next kvno and
   * appends them, so the keytab ends up with `kvnos` successive key versions, the newest being the one
   * the KDC issues tickets for. Default 1.
   */
  kvnos?: number;
  /** `ktadd -norandkey`: export the current keys without changing them (kvnos is then ignored). */
  norandkey?: boolean;
}

export interface AddPrincipalOptions {
  /** The principal's password; without it the principal gets random keys (`-randkey`). */
  password?: string;
  /** `addprinc -e` list, e.g. ['aes256-cts-hmac-sha384-192:normal']. */
  enctypes?: string[];
  /** `addprinc -maxlife`, e.g. '10 seconds'. */
  maxLife?: string;
  /**
   * Session key enctypes the KDC may pick for tickets to this principal (the `session_enctypes`
   * string attribute). Needed for e.g. an RC4 session key: MIT's KDC otherwise assumes every service
   * supports aes256-cts-hmac-sha1-96 and prefers it.
   */
  sessionEnctypes?: string[];
}

export interface KinitOptions {
  /** `kinit -l`, e.g. '5s', '10m'. */
  lifetime?: string;
  /** Credential cache to fill; default a fresh `FILE:<dir>/ccache-<user>-<n>`. */
  ccache?: string;
  /**
   * Enctypes to request (default_tkt/tgs_enctypes), for this kinit only; later kvno or GSS calls on
   * the cache need the same through `configWith`.
   */
  enctypes?: string[];
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Credential cache for KRB5CCNAME; default the directory's default cache. */
  ccache?: string;
  /** Written to the command's stdin. */
  input?: string;
  /** Extra environment, applied last. */
  env?: Record<string, string>;
}

export interface RunningKdc {
  realm: string;
  /** The temp directory holding everything; removed by stop(). */
  dir: string;
  /** The KDC's port on 127.0.0.1 (UDP and TCP). */
  port: number;
  /** Path of the krb5.conf clients must use (KRB5_CONFIG). */
  krb5Conf: string;
  /** Path of the kdc.conf (KRB5_KDC_PROFILE). */
  kdcConf: string;
  /** Path of the keytab holding every `services` principal's keys (give it to the server). */
  keytab: string;
  /** The service principals with realm, e.g. `HTTP/localhost@WINRMD.TEST`. */
  services: string[];
  /** KRB5_CONFIG, KRB5_KDC_PROFILE and KRB5CCNAME (the given cache, else the directory's default cache). */
  env(ccache?: string): Record<string, string>;
  /**
   * A KRB5_CONFIG value (`overlay:krb5Conf`) whose overlay sets these [libdefaults] entries over the
   * realm's krb5.conf, e.g. { clockskew: '1' } or { default_tgs_enctypes: 'rc4-hmac' }.
   */
  configWith(libdefaults: Record<string, string>): Promise<string>;
  /** Gets a TGT for `user@realm`; resolves to the credential cache (`FILE:/path`); rejects with a KdcCommandError. */
  kinit(user: string, password: string, opts?: KinitOptions): Promise<string>;
  /** Adds a principal (name without realm) with a password or random keys. */
  addPrincipal(name: string, opts?: AddPrincipalOptions): Promise<void>;
  /** Exports principals (names without realm) to a keytab; resolves to its path. */
  exportKeytab(principals: string[], opts?: ExportKeytabOptions): Promise<string>;
  /** Runs one kadmin.local query (`-q`); rejects with a KdcCommandError when it fails. */
  kadmin(query: string): Promise<CommandResult>;
  /** Runs a command (e.g. klist, kvno) in the realm's environment; never rejects on a non-zero exit. */
  run(cmd: string, args: string[], opts?: RunOptions): Promise<CommandResult>;
  /** Everything the KDC logged so far (kdc.log and its stdout/stderr). */
  logs(): Promise<string>;
  /** Kills the KDC and removes the directory. */
  stop(): Promise<void>;
}

export class KdcCommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: CommandResult,
  ) {
    super(`${command} exited with ${String(result.code)}\n${result.stderr}${result.stdout}`);
    this.name = 'KdcCommandError';
  }
}

const DEFAULT_REALM = 'WINRMD.TEST';
const DEFAULT_SUPPORTED = ['aes256-cts-hmac-sha1-96:normal', 'aes128-cts-hmac-sha1-96:normal'];
const DEFAULT_CLIENT_ENCTYPES = [
  'aes256-cts-hmac-sha1-96',
  'aes128-cts-hmac-sha1-96',
  'aes256-cts-hmac-sha384-192',
  'aes128-cts-hmac-sha256-128',
  'rc4-hmac',
];
const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;

/** Which Debian package ships each binary the harness runs. */
const BINARIES: Record<string, string> = {
  krb5kdc: 'krb5-kdc',
  kdb5_util: 'krb5-kdc',
  'kadmin.local': 'krb5-admin-server',
  kinit: 'krb5-user',
  klist: 'krb5-user',
  kvno: 'krb5-user',
};

const SEARCH_PATH = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin'].filter(
  (p) => p !== '',
);

async function findBinary(name: string, searchPath: readonly string[] = SEARCH_PATH): Promise<string | undefined> {
  for (const dir of searchPath) {
    const candidate = join(dir, name);
    try {
      await access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // try the next directory
    }
  }
  return undefined;
}

/**
 * Absolute paths of the MIT binaries the harness runs, looked up in PATH plus /usr/sbin and /sbin (or
 * in `searchPath`), or a clear error naming the Debian packages to install.
 */
export async function locateKrb5Binaries(searchPath: readonly string[] = SEARCH_PATH): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const missing: string[] = [];
  for (const name of Object.keys(BINARIES)) {
    const path = await findBinary(name, searchPath);
    if (path === undefined) missing.push(name);
    else found.set(name, path);
  }
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((m) => BINARIES[m] ?? m))];
    throw new Error(
      `the Kerberos test harness needs MIT Kerberos programs that are missing (${missing.join(', ')}); ` +
        `install Debian's ${packages.join(', ')} (all three: apt-get install krb5-kdc krb5-admin-server krb5-user), ` +
        'or run the tests through `npm test`, whose scripts/test.sh installs them as root',
    );
  }
  return found;
}

function listenUdp(port: number): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

function listenTcp(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** A port free for both UDP and TCP on 127.0.0.1: bind UDP port 0, then TCP on the same number. */
async function pickPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const udp = await listenUdp(0);
    const port = udp.address().port;
    let tcp: Server | undefined;
    try {
      tcp = await listenTcp(port);
    } catch {
      tcp = undefined;
    }
    await new Promise<void>((resolve) => {
      udp.close(() => {
        resolve();
      });
    });
    if (tcp !== undefined) {
      const server = tcp;
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      return port;
    }
  }
  throw new Error('could not find a port free for both UDP and TCP on 127.0.0.1');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function execute(path: string, args: string[], env: NodeJS.ProcessEnv, input: string | undefined): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
    // A command that does not read stdin may close it first; that is not an error here.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** kadmin's query parser splits on blanks and honours double quotes; keep arguments inside that. */
function quoteKadmin(value: string): string {
  if (/["\r\n\0]/.test(value)) throw new Error(`kadmin argument may not contain quotes or line breaks: ${JSON.stringify(value)}`);
  return `"${value}"`;
}

const ENCTYPE_NAMES = new Set([
  'aes256-cts-hmac-sha1-96',
  'aes128-cts-hmac-sha1-96',
  'aes256-cts-hmac-sha384-192',
  'aes128-cts-hmac-sha256-128',
  'aes256-cts',
  'aes128-cts',
  'rc4-hmac',
  'arcfour-hmac',
  'camellia256-cts-cmac',
  'camellia128-cts-cmac',
]);

/** kadmin silently drops enctypes it does not know; refuse typos here instead. */
function validateEnctypes(list: string[], withSalt: boolean): void {
  for (const entry of list) {
    const [name, salt, ...rest] = entry.split(':');
    const saltOk = withSalt ? salt === undefined || /^(normal|norealm|onlyrealm|special)$/.test(salt) : salt === undefined;
    if (name === undefined || !ENCTYPE_NAMES.has(name) || !saltOk || rest.length > 0) {
      throw new Error(`unknown enctype for the test KDC: ${JSON.stringify(entry)}`);
    }
  }
}

function validateName(name: string): void {
  if (!/^[A-Za-z0-9._/-]+$/.test(name)) throw new Error(`unsupported principal name for the test KDC: ${JSON.stringify(name)}`);
}

function hostOf(service: string): string | undefined {
  const slash = service.indexOf('/');
  return slash === -1 ? undefined : service.slice(slash + 1).toLowerCase();
}

function krb5ConfText(realm: string, port: number, dir: string, enctypes: string[], hosts: string[], allowRc4: boolean): string {
  const list = enctypes.join(' ');
  const mappings = [...new Set(['localhost', ...hosts])].map((h) => `    ${h} = ${realm}`).join('\n');
  return `# Throw-away realm for winrmd's tests; only ever used through KRB5_CONFIG.
[libdefaults]
    default_realm = ${realm}
    dns_lookup_kdc = false
    dns_lookup_realm = false
    dns_canonicalize_hostname = false
    rdns = false
    qualify_shortname = ""
    ignore_acceptor_hostname = false
    noaddresses = true
    forwardable = false
    proxiable = false
    udp_preference_limit = 0
    kdc_timesync = 0
    allow_rc4 = ${allowRc4 ? 'true' : 'false'}
    permitted_enctypes = ${list}
    default_tkt_enctypes = ${list}
    default_tgs_enctypes = ${list}
    default_ccache_name = FILE:${join(dir, 'ccache-default')}
    default_client_keytab_name = FILE:${join(dir, 'client.keytab')}
    default_keytab_name = FILE:${join(dir, 'http.keytab')}

[realms]
    ${realm} = {
        kdc = 127.0.0.1:${port}
        admin_server = 127.0.0.1:${port}
    }

[domain_realm]
${mappings}
`;
}

function kdcConfText(realm: string, port: number, dir: string, supported: string[]): string {
  return `# Throw-away KDC for winrmd's tests; only ever used through KRB5_KDC_PROFILE.
[kdcdefaults]
    kdc_listen = 127.0.0.1:${port}
    kdc_tcp_listen = 127.0.0.1:${port}

[realms]
    ${realm} = {
        database_name = ${join(dir, 'principal')}
        key_stash_file = ${join(dir, 'stash')}
        acl_file = ${join(dir, 'kadm5.acl')}
        kdc_listen = 127.0.0.1:${port}
        kdc_tcp_listen = 127.0.0.1:${port}
        master_key_type = aes256-cts-hmac-sha1-96
        supported_enctypes = ${supported.join(' ')}
        max_life = 10h 0m 0s
        max_renewable_life = 0
    }

[logging]
    kdc = FILE:${join(dir, 'kdc.log')}
    admin_server = FILE:${join(dir, 'kadmin.log')}
    default = FILE:${join(dir, 'krb5lib.log')}
`;
}

export async function startKdc(opts: StartKdcOptions): Promise<RunningKdc> {
  const bins = await locateKrb5Binaries();
  const bin = (name: string): string => {
    const path = bins.get(name);
    if (path === undefined) throw new Error(`unreachable: ${name} not located`);
    return path;
  };
  const realm = opts.realm ?? DEFAULT_REALM;
  if (!/^[A-Z0-9.-]+$/.test(realm)) throw new Error(`unsupported realm name: ${realm}`);
  for (const user of opts.users) validateName(user.name);
  for (const service of opts.services) validateName(service);
  const supported = opts.supportedEnctypes ?? DEFAULT_SUPPORTED;
  validateEnctypes(supported, true);
  const clientEnctypes = opts.clientEnctypes ?? DEFAULT_CLIENT_ENCTYPES;
  validateEnctypes(clientEnctypes, false);

  const dir = await mkdtemp(join(tmpdir(), 'winrmd-kdc-'));
  const krb5Conf = join(dir, 'krb5.conf');
  const kdcConf = join(dir, 'kdc.conf');
  const keytab = join(dir, 'http.keytab');
  const defaultCcache = `FILE:${join(dir, 'ccache-default')}`;
  const stdLog: string[] = [];
  let child: ChildProcess | undefined;
  let counter = 0;

  const env = (ccache?: string): Record<string, string> => ({
    KRB5_CONFIG: krb5Conf,
    KRB5_KDC_PROFILE: kdcConf,
    KRB5CCNAME: ccache ?? defaultCcache,
  });
  const processEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
    const base: NodeJS.ProcessEnv = { ...process.env };
    // Keep the caller's Kerberos settings out: only this realm's files count.
    for (const name of ['KRB5_CONFIG', 'KRB5_KDC_PROFILE', 'KRB5CCNAME', 'KRB5_KTNAME', 'KRB5_CLIENT_KTNAME']) {
      Reflect.deleteProperty(base, name);
    }
    return { ...base, PATH: SEARCH_PATH.join(delimiter), ...extra };
  };

  const run = async (cmd: string, args: string[], runOpts: RunOptions = {}): Promise<CommandResult> => {
    const path = bins.get(cmd) ?? (await findBinary(cmd)) ?? cmd;
    return execute(path, args, processEnv({ ...env(runOpts.ccache), ...runOpts.env }), runOpts.input);
  };

  const kadmin = async (query: string): Promise<CommandResult> => {
    const result = await run('kadmin.local', ['-r', realm, '-q', query]);
    // kadmin.local exits 0 even when its query fails; the only thing it writes to stderr on success
    // is the note that no password policy applies.
    const complaints = result.stderr
      .split('\n')
      .filter((line) => line.trim() !== '' && !/^No policy specified for .*; defaulting to no policy$/.test(line.trim()));
    if (result.code !== 0 || complaints.length > 0) throw new KdcCommandError(`kadmin.local -q ${query.replace(/-pw "[^"]*"/, '-pw ***')}`, result);
    return result;
  };

  const addPrincipal = async (name: string, p: AddPrincipalOptions = {}): Promise<void> => {
    validateName(name);
    const parts = ['addprinc'];
    if (p.enctypes !== undefined) {
      validateEnctypes(p.enctypes, true);
      parts.push('-e', quoteKadmin(p.enctypes.join(',')));
    }
    if (p.maxLife !== undefined) parts.push('-maxlife', quoteKadmin(p.maxLife));
    if (p.password !== undefined) parts.push('-pw', quoteKadmin(p.password));
    else parts.push('-randkey');
    parts.push(quoteKadmin(`${name}@${realm}`));
    await kadmin(parts.join(' '));
    if (p.sessionEnctypes !== undefined) {
      validateEnctypes(p.sessionEnctypes, false);
      await kadmin(`setstr ${quoteKadmin(`${name}@${realm}`)} session_enctypes ${quoteKadmin(p.sessionEnctypes.join(' '))}`);
    }
  };

  const exportKeytab = async (principals: string[], e: ExportKeytabOptions = {}): Promise<string> => {
    const path = e.path ?? keytab;
    const rounds = e.norandkey === true ? 1 : Math.max(1, e.kvnos ?? 1);
    for (let round = 0; round < rounds; round++) {
      for (const name of principals) {
        validateName(name);
        const parts = ['ktadd', '-k', quoteKadmin(path)];
        if (e.norandkey === true) parts.push('-norandkey');
        if (e.enctypes !== undefined) {
          validateEnctypes(e.enctypes, true);
          parts.push('-e', quoteKadmin(e.enctypes.join(',')));
        }
        parts.push(quoteKadmin(`${name}@${realm}`));
        await kadmin(parts.join(' '));
      }
    }
    return path;
  };

  const configWith = async (libdefaults: Record<string, string>): Promise<string> => {
    counter += 1;
    const overlay = join(dir, `overlay-${counter}.conf`);
    const lines = Object.entries(libdefaults).map(([key, value]) => {
      if (!/^[a-z_0-9]+$/.test(key) || /[\r\n{}]/.test(value)) throw new Error(`bad krb5.conf setting ${key} = ${value}`);
      return `    ${key} = ${value}\n`;
    });
    await writeFile(overlay, `[libdefaults]\n${lines.join('')}`);
    return `${overlay}:${krb5Conf}`;
  };

  const kinit = async (user: string, password: string, k: KinitOptions = {}): Promise<string> => {
    validateName(user);
    counter += 1;
    const ccache = k.ccache ?? `FILE:${join(dir, `ccache-${user.replace(/\//g, '_')}-${counter}`)}`;
    const args = ['-c', ccache];
    if (k.lifetime !== undefined) args.push('-l', k.lifetime);
    args.push(`${user}@${realm}`);
    const extraEnv: Record<string, string> = {};
    if (k.enctypes !== undefined) {
      validateEnctypes(k.enctypes, false);
      const list = k.enctypes.join(' ');
      extraEnv['KRB5_CONFIG'] = await configWith({ default_tkt_enctypes: list, default_tgs_enctypes: list });
    }
    const result = await run('kinit', args, { ccache, input: `${password}\n`, env: extraEnv });
    if (result.code !== 0) throw new KdcCommandError(`kinit ${args.join(' ')}`, result);
    return ccache;
  };

  const logs = async (): Promise<string> => {
    let file = '';
    try {
      file = await readFile(join(dir, 'kdc.log'), 'utf8');
    } catch {
      // not written yet
    }
    return `${file}${stdLog.join('')}`;
  };

  // Should the test process end without stop() (a crashed worker, skipped hooks), take the KDC and
  // the directory along rather than leaving a daemon behind.
  const onExit = (): void => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    const kdc = child;
    if (kdc !== undefined && kdc.exitCode === null && kdc.signalCode === null) {
      kdc.kill('SIGTERM');
      if (!(await waitForExit(kdc, STOP_GRACE_MS))) {
        kdc.kill('SIGKILL');
        await waitForExit(kdc, STOP_GRACE_MS);
      }
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const port = await pickPort();
    const hosts = opts.services.map(hostOf).filter((h): h is string => h !== undefined);
    await writeFile(krb5Conf, krb5ConfText(realm, port, dir, clientEnctypes, hosts, opts.allowRc4 === true));
    await writeFile(kdcConf, kdcConfText(realm, port, dir, supported));
    await writeFile(join(dir, 'kadm5.acl'), '');

    const master = randomBytes(24).toString('base64url');
    const created = await run('kdb5_util', ['-r', realm, 'create', '-s', '-P', master]);
    if (created.code !== 0) throw new KdcCommandError('kdb5_util create -s', created);

    for (const user of opts.users) await addPrincipal(user.name, { password: user.password });
    for (const service of opts.services) await addPrincipal(service);
    if (opts.services.length > 0) await exportKeytab(opts.services, { ...opts.keytab, path: keytab });

    const kdc = spawn(bin('krb5kdc'), ['-n', '-r', realm, '-P', join(dir, 'krb5kdc.pid')], {
      env: processEnv(env()),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = kdc;
    kdc.stdout.setEncoding('utf8');
    kdc.stderr.setEncoding('utf8');
    kdc.stdout.on('data', (chunk: string) => stdLog.push(chunk));
    kdc.stderr.on('data', (chunk: string) => stdLog.push(chunk));
    let spawnError: Error | undefined;
    kdc.on('error', (err) => {
      spawnError = err;
    });

    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (spawnError !== undefined) throw new Error(`krb5kdc could not be spawned: ${spawnError.message}`);
      if (kdc.exitCode !== null || kdc.signalCode !== null) {
        throw new Error(`krb5kdc exited early (code ${String(kdc.exitCode)}, signal ${String(kdc.signalCode)})\n${await logs()}`);
      }
      if (await canConnect(port)) break;
      if (Date.now() > deadline) throw new Error(`krb5kdc did not listen on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms\n${await logs()}`);
      await sleep(50);
    }

    return {
      realm,
      dir,
      port,
      krb5Conf,
      kdcConf,
      keytab,
      services: opts.services.map((s) => `${s}@${realm}`),
      env,
      kinit,
      configWith,
      addPrincipal,
      exportKeytab,
      kadmin,
      run,
      logs,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
