/**
 * `winrmd firewall show [ADDRESS]` and `winrmd firewall test ADDRESS`: the firewall as `serve`
 * would apply it on this host, and the decision for an address (`--port`, default the HTTP port).
 */
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/keys.js';
import { ConnectionFirewall, firewallSettingsFrom, InterfaceTable } from '../firewall/index.js';
import type { InterfaceSource } from '../firewall/interfaces.js';
import { parseIpAddress, type IpAddress } from '../firewall/ip-address.js';
import { parseProfile } from '../firewall/profiles.js';
import { describeDecision, describeFirewall } from '../firewall/report.js';
import type { Transport } from '../firewall/rules.js';
import { COMMON_OPTIONS, sourcesFromOptions } from './common-options.js';
import { HELP_TEXT } from './help.js';
import type { CliIo } from './io.js';
import { parseArgv, UsageError } from './usage-error.js';

const USAGE = 'usage: winrmd firewall show [ADDRESS] | winrmd firewall test ADDRESS [--port N] [--profile P | --local ADDRESS]';

function addressArgument(text: string, what: string): IpAddress {
  const address = parseIpAddress(text);
  if (address === undefined) throw new UsageError(`${what} '${text}' is not an IPv4 or IPv6 address`);
  return address;
}

/** The listener a port belongs to, so that rules written with LocalPort HTTP/HTTPS apply. */
function transportOf(config: Config, port: number): Transport | undefined {
  if (port === config['Service.DefaultPorts.HTTP']) return 'http';
  if (port === config['Service.DefaultPorts.HTTPS']) return 'https';
  return undefined;
}

async function run(subcommand: 'show' | 'test', argv: readonly string[], io: CliIo, source: InterfaceSource | undefined): Promise<number> {
  const { values, positionals } = parseArgv({
    args: [...argv],
    options: { ...COMMON_OPTIONS, port: { type: 'string' }, profile: { type: 'string' }, local: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true) {
    io.stdout.write(HELP_TEXT);
    return 0;
  }
  const [addressText, ...extra] = positionals;
  if (extra.length > 0 || (subcommand === 'test' && addressText === undefined)) throw new UsageError(USAGE);
  if (values.profile !== undefined && values.local !== undefined) throw new UsageError('--profile and --local are alternatives; give one');
  const profile = values.profile === undefined ? undefined : parseProfile(values.profile);
  if (values.profile !== undefined && profile === undefined) throw new UsageError(`--profile must be Domain, Private or Public, not '${values.profile}'`);
  if (values.port !== undefined && (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535)) {
    throw new UsageError(`--port must be a port 0-65535, not '${values.port}'`);
  }

  const config = await loadConfig(sourcesFromOptions(values));
  const interfaces = new InterfaceTable(source === undefined ? {} : { source });
  // Drops are never recorded here (nothing is accepted), so the log goes nowhere.
  const firewall = new ConnectionFirewall(firewallSettingsFrom(config), { log: { info: () => undefined }, interfaces });
  const lines = subcommand === 'show' ? describeFirewall(firewall) : [];
  if (addressText !== undefined) {
    const port = values.port === undefined ? config['Service.DefaultPorts.HTTP'] : Number(values.port);
    lines.push(
      ...describeDecision(firewall, {
        remote: addressArgument(addressText, 'address'),
        port,
        transport: transportOf(config, port),
        local: values.local === undefined ? undefined : addressArgument(values.local, '--local'),
        profile,
      }),
    );
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** `source` replaces os.networkInterfaces() in tests. */
export async function runFirewallCommand(argv: readonly string[], io: CliIo, source?: InterfaceSource): Promise<number> {
  const [subcommand, ...rest] = argv;
  switch (subcommand) {
    case 'show':
    case 'test':
      return run(subcommand, rest, io, source);
    case '--help':
    case '-h':
      io.stdout.write(HELP_TEXT);
      return 0;
    case undefined:
      throw new UsageError(`missing subcommand: ${USAGE}`);
    default:
      throw new UsageError(`unknown subcommand 'firewall ${subcommand}': use show or test`);
  }
}
