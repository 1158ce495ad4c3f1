/**
 * The host's interface addresses, which give each connection its profile (by the local address it
 * arrived on) and define LocalSubnet. Read from os.networkInterfaces() and re-read when older than
 * a few seconds, or sooner when a connection arrives on an address not seen yet, so that an
 * address added or a prefix changed takes effect without a restart.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { cidrRange, formatRange, parseIpAddress, singleAddressRange, type AddressRange, type IpAddress } from './ip-address.js';

export interface HostAddress {
  readonly interfaceName: string;
  readonly address: IpAddress;
  readonly prefixLength: number;
  /** The on-link subnet, from the address and its prefix length. */
  readonly subnet: AddressRange;
  readonly internal: boolean;
}

export type InterfaceSource = () => NodeJS.Dict<NetworkInterfaceInfo[]>;

export interface InterfaceTableOptions {
  readonly source?: InterfaceSource;
  readonly now?: () => number;
  /** Re-read when the snapshot is older than this. */
  readonly maxAgeMs?: number;
  /** An unknown local address re-reads at most this often, so a flood cannot make us spin. */
  readonly missRereadMs?: number;
  /** Called with the new LocalSubnet when a re-read changes it. */
  readonly onChange?: (localSubnets: readonly AddressRange[]) => void;
}

function prefixLengthOf(info: NetworkInterfaceInfo): number | undefined {
  const match = info.cidr === null ? null : /\/(\d+)$/.exec(info.cidr);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function readHostAddresses(source: InterfaceSource): HostAddress[] {
  const addresses: HostAddress[] = [];
  for (const [interfaceName, infos] of Object.entries(source())) {
    for (const info of infos ?? []) {
      const address = parseIpAddress(info.address);
      const prefixLength = prefixLengthOf(info);
      if (address === undefined) continue;
      // No usable netmask: the address alone is all we know of its subnet.
      const hostBits = address.family === 4 ? 32 : 128;
      const known = prefixLength === undefined ? undefined : cidrRange(address, prefixLength);
      addresses.push({
        interfaceName,
        address,
        prefixLength: known === undefined ? hostBits : (prefixLength ?? hostBits),
        subnet: known ?? singleAddressRange(address),
        internal: info.internal,
      });
    }
  }
  return addresses;
}

function subnetsOf(addresses: readonly HostAddress[]): AddressRange[] {
  const byText = new Map<string, AddressRange>();
  for (const { subnet } of addresses) byText.set(formatRange(subnet), subnet);
  return [...byText.values()];
}

export class InterfaceTable {
  readonly #source: InterfaceSource;
  readonly #now: () => number;
  readonly #maxAgeMs: number;
  readonly #missRereadMs: number;
  readonly #onChange: ((localSubnets: readonly AddressRange[]) => void) | undefined;
  #addresses: readonly HostAddress[] = [];
  #subnets: readonly AddressRange[] = [];
  #readAt = Number.NEGATIVE_INFINITY;

  constructor(options: InterfaceTableOptions = {}) {
    this.#source = options.source ?? networkInterfaces;
    this.#now = options.now ?? Date.now;
    this.#maxAgeMs = options.maxAgeMs ?? 5000;
    this.#missRereadMs = options.missRereadMs ?? 1000;
    this.#onChange = options.onChange;
  }

  #read(): void {
    const before = this.#subnets.map(formatRange).join(',');
    const firstRead = this.#readAt === Number.NEGATIVE_INFINITY;
    this.#addresses = readHostAddresses(this.#source);
    this.#subnets = subnetsOf(this.#addresses);
    this.#readAt = this.#now();
    if (!firstRead && this.#subnets.map(formatRange).join(',') !== before) this.#onChange?.(this.#subnets);
  }

  #fresh(): void {
    if (this.#now() - this.#readAt >= this.#maxAgeMs) this.#read();
  }

  addresses(): readonly HostAddress[] {
    this.#fresh();
    return this.#addresses;
  }

  /** LocalSubnet: every subnet an interface of this host is on. */
  localSubnets(): readonly AddressRange[] {
    this.#fresh();
    return this.#subnets;
  }

  /** The host address equal to `address`, re-reading once if it is not known (yet). */
  find(address: IpAddress): HostAddress | undefined {
    this.#fresh();
    const lookup = (): HostAddress | undefined =>
      this.#addresses.find((host) => host.address.family === address.family && host.address.value === address.value);
    const found = lookup();
    if (found !== undefined || this.#now() - this.#readAt < this.#missRereadMs) return found;
    this.#read();
    return lookup();
  }
}
