import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';
import type { UserStore } from '../users/index.js';
import type { ChannelBindingPolicy } from '../auth/ntlm/index.js';
import { AuthGate } from './auth-gate.js';
import { buildListener } from './http-listener.js';
import type { Logger } from './logger.js';
import { LoginThrottle } from './login-throttle.js';
import { createServiceState } from './service-state.js';
import { loadKerberosService } from './kerberos-setup.js';
import { createContextFactory, defaultNtlmNames } from './security-contexts.js';
import { channelBindingHashFor } from './tls-binding.js';
import { loadTlsIdentity } from './tls-certificate.js';
import { ConnectionFirewall, firewallSettingsFrom } from '../firewall/index.js';

export interface RunningEndpoint {
  /** Bound ports by transport (useful when the config asked for port 0). */
  readonly ports: Readonly<Partial<Record<'http' | 'https', number>>>;
  readonly certificateThumbprint: string | undefined;
  close(): Promise<void>;
}

/** Product facts an Identify reports; Windows Server 2022's stack, since clients key off them. */
const PRODUCT_VENDOR = 'Microsoft Corporation';
const PRODUCT_VERSION = 'OS: 10.0.20348 SP: 0.0 Stack: 3.0';

/** Starts the listeners the configuration enables and serves until close(). */
export async function startEndpoint(config: Config, stateDir: string, users: UserStore, log: Logger): Promise<RunningEndpoint> {
  // Issue 6: built first, so that a bad firewall setting stops the start before anything runs.
  const firewall = new ConnectionFirewall(firewallSettingsFrom(config), { log });
  const service = createServiceState(config, log);
  const { shells } = service;
  const machineName = config['Winrmd.ComputerName'] !== '' ? config['Winrmd.ComputerName'] : hostname();
  const tls = config['Listener.HTTPS.Enabled']
    ? await loadTlsIdentity(config['Listener.HTTPS.CertificateFile'], config['Listener.HTTPS.KeyFile'], stateDir)
    : undefined;
  if (tls !== undefined) log.info({ event: 'certificate', source: tls.source, thumbprintSha256: tls.thumbprintSha256 }, 'HTTPS certificate');
  const kerberos = await loadKerberosService(config, log);
  const gate = new AuthGate(
    {
      basicEnabled: config['Service.Auth.Basic'],
      negotiateEnabled: config['Service.Auth.Negotiate'],
      kerberosEnabled: kerberos !== undefined,
      allowUnencrypted: config['Service.AllowUnencrypted'],
    },
    users,
    new LoginThrottle(),
    createContextFactory({
      users,
      names: defaultNtlmNames(machineName),
      httpsChannelBindingHash: tls === undefined ? undefined : channelBindingHashFor(tls.cert),
      channelBindingPolicy: cbtPolicy(config['Service.Auth.CbtHardeningLevel']),
      kerberos,
    }),
    log,
  );
  const profiles = [
    ...(config['Service.Auth.Negotiate'] || kerberos !== undefined ? (['spnego-kerberos'] as const) : []),
    ...(config['Service.Auth.Basic'] ? (['basic'] as const) : []),
  ];
  const dispatcher = { machineName, identify: { productVendor: PRODUCT_VENDOR, productVersion: PRODUCT_VERSION, profiles } };
  const host = config['Listener.Address'] === '*' ? '::' : config['Listener.Address'];
  const common = {
    maxEnvelopeBytes: config['Service.MaxEnvelopeSizekb'] * 1024,
    allowUnencrypted: config['Service.AllowUnencrypted'],
    maxConnections: config['Service.MaxConnections'],
    requestTimeoutMs: config['Service.MaxPacketRetrievalTimeSeconds'] * 1000,
    gate,
    service,
    dispatcher,
    log,
    logBodies: config['Winrmd.LogBodies'],
    firewall,
  };

  const apps: FastifyInstance[] = [];
  const ports: Partial<Record<'http' | 'https', number>> = {};
  try {
    if (config['Listener.HTTP.Enabled']) {
      const app = buildListener({ ...common, transport: 'http', tls: undefined });
      apps.push(app);
      ports.http = await listen(app, host, config['Service.DefaultPorts.HTTP'], 'http', log);
    }
    if (tls !== undefined) {
      const app = buildListener({ ...common, transport: 'https', tls });
      apps.push(app);
      ports.https = await listen(app, host, config['Service.DefaultPorts.HTTPS'], 'https', log);
    }
  } catch (error) {
    await Promise.all(apps.map((a) => a.close()));
    await shells.closeAll();
    throw error;
  }

  return {
    ports,
    certificateThumbprint: tls?.thumbprintSha256,
    async close() {
      await Promise.all(apps.map((a) => a.close()));
      firewall.close();
      await shells.closeAll();
    },
  };
}

async function listen(app: FastifyInstance, host: string, port: number, transport: string, log: Logger): Promise<number> {
  try {
    await app.listen({ host, port, ipv6Only: false });
  } catch (error) {
    // A host without IPv6 cannot bind '::'; every IPv4 address is what '*' means there.
    if (host !== '::' || !isAddressFamilyError(error)) throw error;
    await app.listen({ host: '0.0.0.0', port });
  }
  const address = app.server.address();
  const bound = typeof address === 'object' && address !== null ? address : undefined;
  log.info({ event: 'listening', transport, address: bound?.address, port: bound?.port }, 'listening');
  return bound?.port ?? port;
}

function cbtPolicy(level: string): ChannelBindingPolicy {
  return level === 'None' || level === 'Strict' ? level : 'Relaxed';
}

function isAddressFamilyError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'EAFNOSUPPORT' || error.code === 'EADDRNOTAVAIL');
}
