import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';
import type { UserStore } from '../users/index.js';
import type { ChannelBindingPolicy } from '../auth/ntlm/index.js';
import { AccountResolver } from '../accounts/index.js';
import { announceAccountMode, currentProcessFacts } from './account-mode.js';
import { AuthGate } from './auth-gate.js';
import { linuxGroupSource } from './linux-group-source.js';
import { buildListener } from './http-listener.js';
import type { Logger } from './logger.js';
import { LoginThrottle } from './login-throttle.js';
import { createServiceState } from './service-state.js';
import { spawnHost } from '../host/spawn-host.js';
import { readFileSync } from 'node:fs';
import { findPrlimit } from './memory-limit.js';
import { findCgroup2Mount, nodeCgroupFs } from './cgroup-fs.js';
import { ShellCgroups } from './shell-cgroups.js';
import { delegationOf } from './cgroup-delegation.js';
import { loadKerberosService } from './kerberos-setup.js';
import { configuredNtlmNames, createContextFactory } from './security-contexts.js';
import { parseOsVersion } from '../auth/ntlm/index.js';
import { describeListener } from './listener-description.js';
import { channelBindingHashFor } from './tls-binding.js';
import { loadTlsIdentity } from './tls-certificate.js';
import { ConnectionFirewall, firewallSettingsFrom } from '../firewall/index.js';
import { NO_OBSERVER, type ServiceObserver } from '../events/signals.js';
import { checkTelemetrySettings, startTelemetry } from './telemetry.js';
import { TranscriptWriter } from './transcript.js';

export interface RunningEndpoint {
  /** Bound ports by transport (useful when the config asked for port 0). */
  readonly ports: Readonly<Partial<Record<'http' | 'https', number>>>;
  readonly certificateThumbprint: string | undefined;
  close(): Promise<void>;
}

/** Product facts an Identify reports; Windows Server 2022's stack, since clients key off them. */
const PRODUCT_VENDOR = 'Microsoft Corporation';
const productVersion = (osVersion: string): string => `OS: ${osVersion} SP: 0.0 Stack: 3.0`;

/** Starts the listeners the configuration enables and serves until close(). */
export async function startEndpoint(config: Config, stateDir: string, users: UserStore, log: Logger): Promise<RunningEndpoint> {
  // Security events and metrics (issue 8) start just before the listeners; until then, and for
  // everything built before them, this relay forwards to whatever observer is current.
  let observer: ServiceObserver = NO_OBSERVER;
  const relay: ServiceObserver = {
    notify: (signal) => {
      observer.notify(signal);
    },
  };
  // Issue 6: built first, so that a bad firewall setting stops the start before anything runs.
  const firewall = new ConnectionFirewall(firewallSettingsFrom(config), {
    log,
    dropLog: {
      onDrop: (drop, logged) => {
        relay.notify({ kind: 'firewall-drop', ...drop, logged });
      },
    },
  });
  // Issue 8: so does a bad events or metrics setting.
  checkTelemetrySettings(config, stateDir);
  // Issue 5: whose account shells run under, said (loudly unless per user) before anything listens.
  const processFacts = currentProcessFacts();
  announceAccountMode(config, processFacts, log);
  // Winrs.MaxMemoryPerShellMB: which mechanism bounds the shells' memory (server/memory-limit.ts).
  const shellCgroups = setUpShellCgroups(log);
  log.info(
    {
      event: 'memory-limit',
      mechanism: findPrlimit() === undefined ? 'none (prlimit missing)' : 'RLIMIT_DATA',
      cgroupV2: typeof shellCgroups === 'string' ? `not used: ${shellCgroups}` : `per-shell memory.max under ${shellCgroups.path}`,
    },
    'shell memory limit',
  );
  const accountLookup = new AccountResolver();
  const service = createServiceState(config, log, {
    observer: relay,
    users,
    accountLookup,
    processFacts,
    hostLauncher: spawnHost,
    shellCgroups: typeof shellCgroups === 'string' ? undefined : shellCgroups,
  });
  const { shells } = service;
  const machineName = config['Winrmd.ComputerName'] !== '' ? config['Winrmd.ComputerName'] : hostname();
  const ntlmNames = configuredNtlmNames(config, machineName);
  const tls = config['Listener.HTTPS.Enabled']
    ? await loadTlsIdentity(config['Listener.HTTPS.CertificateFile'], config['Listener.HTTPS.KeyFile'], stateDir)
    : undefined;
  if (tls !== undefined) log.info({ event: 'certificate', source: tls.source, thumbprintSha256: tls.thumbprintSha256 }, 'HTTPS certificate');
  const kerberos = await loadKerberosService(config, log);
  const gate = new AuthGate(
    {
      // Getters: a Put on the configuration resource changes these while winrmd runs.
      get basicEnabled() {
        return service.config['Service.Auth.Basic'];
      },
      get negotiateEnabled() {
        return service.config['Service.Auth.Negotiate'];
      },
      kerberosEnabled: kerberos !== undefined,
      get allowUnencrypted() {
        return service.config['Service.AllowUnencrypted'];
      },
      get rootSddl() {
        return service.config['Service.RootSDDL'];
      },
    },
    users,
    new LoginThrottle(),
    createContextFactory({
      users,
      names: ntlmNames,
      ntlmVersion: parseOsVersion(config['Winrmd.OsVersion']),
      httpsChannelBindingHash: tls === undefined ? undefined : channelBindingHashFor(tls.cert),
      channelBindingPolicy: cbtPolicy(config['Service.Auth.CbtHardeningLevel']),
      kerberos,
    }),
    log,
    relay,
    linuxGroupSource(service.config, accountLookup, log),
  );
  const identify = {
    productVendor: PRODUCT_VENDOR,
    productVersion: productVersion(config['Winrmd.OsVersion']),
    // A getter, like the gate's: Put may turn Basic or Negotiate on or off.
    get profiles() {
      return [
        ...(service.config['Service.Auth.Negotiate'] || kerberos !== undefined ? (['spnego-kerberos'] as const) : []),
        ...(service.config['Service.Auth.Basic'] ? (['basic'] as const) : []),
      ];
    },
  };
  const dispatcher = { machineName, identify };
  // Issue 7: made here, before listening, so that a directory that cannot be created stops the start.
  const transcript = config['Winrmd.TranscriptDir'] === '' ? undefined : new TranscriptWriter(config['Winrmd.TranscriptDir'], log);
  const host = config['Listener.Address'] === '*' ? '::' : config['Listener.Address'];
  const common = {
    maxConnections: config['Service.MaxConnections'],
    requestTimeoutMs: config['Service.MaxPacketRetrievalTimeSeconds'] * 1000,
    gate,
    service,
    dispatcher,
    log,
    logBodies: config['Winrmd.LogBodies'],
    firewall,
    observer: relay,
    transcript,
  };

  // Local accounts' domain in the events is the NetBIOS computer name, as Windows writes it.
  const identity = { computerName: machineName, accountDomain: ntlmNames.netbiosComputer };
  const telemetry = await startTelemetry(config, stateDir, log, identity, { shells: () => shells.size, commands: () => shells.commandCount });
  observer = telemetry.observer;
  const apps: FastifyInstance[] = [];
  const ports: Partial<Record<'http' | 'https', number>> = {};
  try {
    if (config['Listener.HTTP.Enabled']) {
      const app = buildListener({ ...common, transport: 'http', tls: undefined });
      apps.push(app);
      ports.http = await listen(app, host, config['Service.DefaultPorts.HTTP'], 'http', log);
      service.listeners.push(describeListener({ transport: 'http', configuredAddress: config['Listener.Address'], port: ports.http, certificateThumbprint: undefined }));
    }
    if (tls !== undefined) {
      const app = buildListener({ ...common, transport: 'https', tls });
      apps.push(app);
      ports.https = await listen(app, host, config['Service.DefaultPorts.HTTPS'], 'https', log);
      service.listeners.push(describeListener({ transport: 'https', configuredAddress: config['Listener.Address'], port: ports.https, certificateThumbprint: tls.thumbprintSha256 }));
    }
  } catch (error) {
    await Promise.all(apps.map((a) => a.close()));
    await shells.closeAll();
    await service.hosts.closeAll();
    await telemetry.close();
    await transcript?.close();
    throw error;
  }

  return {
    ports,
    certificateThumbprint: tls?.thumbprintSha256,
    async close() {
      // Stop accepting first; then every shell's process group ends (through its host), then the
      // hosts themselves, so that nothing winrmd started outlives it.
      const closing = Promise.all(apps.map((a) => a.close()));
      firewall.close();
      // Not after the listeners have closed: they wait for requests in flight, and a waiting
      // Receive ends only when its command does.
      await shells.closeAll();
      await service.hosts.closeAll();
      await closing;
      await telemetry.close();
      await transcript?.close();
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

/** The per-shell memory cgroups, or why there are none (server/shell-cgroups.ts). */
function setUpShellCgroups(log: Logger): ShellCgroups | string {
  const mount = findCgroup2Mount();
  if (mount === undefined) return 'no cgroup v2 hierarchy';
  let self: string;
  try {
    self = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return '/proc/self/cgroup unreadable';
  }
  return ShellCgroups.setUp(nodeCgroupFs(mount), { procSelfCgroup: self, isRoot: process.getuid?.() === 0, delegation: delegationOf }, log);
}
