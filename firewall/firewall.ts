/**
 * The firewall as winrmd applies it to each accepted connection: the profile of the interface it
 * arrived on, then the rules (Firewall.Rules), then WinRM's own Service.IPv4Filter/IPv6Filter.
 */
import type { Server, Socket } from 'node:net';
import { gateConnections } from './connection-gate.js';
import { decide } from './decide.js';
import { DropLog, type DropLogOptions, type DropLogSink } from './drop-log.js';
import { InterfaceTable } from './interfaces.js';
import { formatRange, parseIpAddress, type IpAddress } from './ip-address.js';
import { chooseProfile, type Profile } from './profiles.js';
import type { Transport } from './rules.js';
import { serviceFilterAdmits } from './service-filter.js';
import type { FirewallSettings } from './settings.js';

/** What decided a connection: the rule or filter name, for the drop log and `firewall test`. */
export interface Verdict {
  readonly allowed: boolean;
  readonly rule: string;
}

export interface ConnectionVerdict extends Verdict {
  readonly profile: Profile | undefined;
  /** Why the profile: `loopback`, `Firewall.DefaultProfile` or the Firewall.Profiles item. */
  readonly profileSource: string | undefined;
  readonly interfaceName: string | undefined;
}

/** A connection's two ends, as a net.Socket reports them (any may be missing if it already died). */
export interface ConnectionEnds {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly localAddress: string | undefined;
  readonly localPort: number | undefined;
}

export const NO_MATCHING_RULE = '(no matching allow rule)';
export const FIREWALL_DISABLED = '(Firewall.Enabled=false)';

export interface FirewallOptions {
  readonly log: DropLogSink;
  readonly interfaces?: InterfaceTable;
  readonly dropLog?: DropLogOptions;
}

export class ConnectionFirewall {
  readonly #settings: FirewallSettings;
  readonly #interfaces: InterfaceTable;
  readonly #drops: DropLog;

  constructor(settings: FirewallSettings, options: FirewallOptions) {
    this.#settings = settings;
    this.#drops = new DropLog(options.log, options.dropLog);
    this.#interfaces =
      options.interfaces ??
      new InterfaceTable({
        onChange: (subnets) => {
          options.log.info({ event: 'firewall-local-subnet', localSubnet: subnets.map(formatRange) }, 'LocalSubnet changed');
        },
      });
  }

  get settings(): FirewallSettings {
    return this.#settings;
  }

  get interfaces(): InterfaceTable {
    return this.#interfaces;
  }

  /** Connections refused since start. */
  get dropped(): number {
    return this.#drops.dropped;
  }

  /** The decision for `remote` arriving on an interface of `profile`, port `localPort`. */
  decideFor(remote: IpAddress, localPort: number, transport: Transport | undefined, profile: Profile): Verdict {
    const { enabled, rules, ipv4Filter, ipv6Filter } = this.#settings;
    let allowingRule = FIREWALL_DISABLED;
    if (enabled) {
      const decision = decide({ remote, localPort, transport, profile }, rules, this.#interfaces.localSubnets());
      if (decision.action === 'block') return { allowed: false, rule: decision.rule ?? NO_MATCHING_RULE };
      allowingRule = decision.rule;
    }
    // The Service filters come after the firewall, as WinRM's listener sits behind Windows' firewall.
    const filter = remote.family === 4 ? ipv4Filter : ipv6Filter;
    if (!serviceFilterAdmits(filter, remote)) return { allowed: false, rule: remote.family === 4 ? 'Service.IPv4Filter' : 'Service.IPv6Filter' };
    return { allowed: true, rule: allowingRule };
  }

  /** The profile of the interface holding `localAddress`, and why. */
  profileOf(localAddress: IpAddress): { profile: Profile; source: string; interfaceName: string | undefined } {
    const host = this.#interfaces.find(localAddress);
    const local = host === undefined ? undefined : { name: host.interfaceName, internal: host.internal };
    const choice = chooseProfile(localAddress, local, this.#settings.profileAssignments, this.#settings.defaultProfile);
    return { ...choice, interfaceName: host?.interfaceName };
  }

  evaluate(ends: ConnectionEnds, transport: Transport | undefined): ConnectionVerdict {
    const remote = parseIpAddress(ends.remoteAddress ?? '');
    const local = parseIpAddress(ends.localAddress ?? '');
    // A socket whose peer already went away has no addresses: nothing to let in.
    if (remote === undefined || local === undefined || ends.localPort === undefined) {
      return { allowed: false, rule: '(connection without addresses)', profile: undefined, profileSource: undefined, interfaceName: undefined };
    }
    const { profile, source, interfaceName } = this.profileOf(local);
    return { ...this.decideFor(remote, ends.localPort, transport, profile), profile, profileSource: source, interfaceName };
  }

  /** Decides for an accepted socket; a refusal is counted and (rate limited) logged. */
  admit(socket: Socket, transport: Transport): boolean {
    const ends: ConnectionEnds = {
      remoteAddress: socket.remoteAddress,
      remotePort: socket.remotePort,
      localAddress: socket.localAddress,
      localPort: socket.localPort,
    };
    const verdict = this.evaluate(ends, transport);
    if (verdict.allowed) return true;
    this.#drops.record({
      remoteAddress: ends.remoteAddress ?? '',
      remotePort: ends.remotePort,
      localAddress: ends.localAddress ?? '',
      localPort: ends.localPort,
      transport,
      profile: verdict.profile,
      rule: verdict.rule,
      bytesRead: socket.bytesRead,
    });
    return false;
  }

  /** Applies the firewall to every connection `server` accepts; see connection-gate.ts. */
  guard(server: Server, transport: Transport): void {
    gateConnections(server, (socket) => this.admit(socket, transport));
  }

  /** Writes the pending summary of unlogged drops. */
  close(): void {
    this.#drops.flush();
  }
}
