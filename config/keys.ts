import type { JsonStructure } from './json-value.js';
import { DEFAULT_FIREWALL_RULES } from '../firewall/default-rules.js';

/**
 * Every configuration setting, named as `winrm get winrm/config` names it, with Windows' default.
 *
 * The same dotted names are used by `--set Key=Value`, by the YAML/TOML config file (nested
 * tables), by `winrmd config show`, and later by the WS-Management config resource. Settings that
 * Windows does not have live under `Winrmd.` or `Listener.` and say so in their description.
 */
export const CONFIG_KEYS = {
  'Service.RootSDDL': {
    type: 'string',
    default: 'O:NSG:BAD:P(A;;GA;;;BA)(A;;GR;;;IU)(A;;GA;;;RM)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)',
    description:
      'Access rule for the service, in SDDL (Windows default: Administrators and Remote Management Users get in). Users given Execute (GX or GA) by its DACL get in.',
  },
  'Service.MaxEnvelopeSizekb': { type: 'number', default: 500, description: 'Largest request or response envelope, in KiB.' },
  'Service.MaxTimeoutms': { type: 'number', default: 60000, description: 'Ceiling on a request\'s OperationTimeout, in ms.' },
  'Service.MaxBatchItems': { type: 'number', default: 32000, description: 'Most items in one enumeration reply.' },
  'Service.MaxConcurrentOperationsPerUser': {
    type: 'number',
    default: 1500,
    description: 'Requests one user may have in progress at once (a waiting Receive counts); one more is refused (QuotaLimit 0x803381A6).',
  },
  'Service.EnumerationTimeoutms': { type: 'number', default: 240000, description: 'How long an idle enumeration context lives, in ms.' },
  'Service.MaxConnections': { type: 'number', default: 300, description: 'Concurrent HTTP connections across all listeners.' },
  'Service.MaxPacketRetrievalTimeSeconds': { type: 'number', default: 120, description: 'How long a request body may take to arrive.' },
  'Service.AllowUnencrypted': { type: 'boolean', default: false, description: 'Allow unencrypted traffic (needed for Basic over HTTP).' },
  'Service.Auth.Basic': {
    type: 'boolean',
    default: true,
    description: 'Basic authentication. winrmd enables it by default (Windows ships it off) because a lab endpoint needs it.',
  },
  'Service.Auth.Kerberos': {
    type: 'boolean',
    default: true,
    description: 'Kerberos authentication (Negotiate and Kerberos schemes); offered only when a keytab with a usable key is found.',
  },
  'Service.Auth.Negotiate': {
    type: 'boolean',
    default: true,
    description: 'Negotiate authentication: NTLM or Kerberos, raw or inside SPNEGO (the HTTP NTLM scheme is accepted too).',
  },
  'Service.Auth.Certificate': { type: 'boolean', default: false, description: 'Client certificate authentication (not implemented).' },
  'Service.Auth.CredSSP': { type: 'boolean', default: false, description: 'CredSSP authentication (not implemented).' },
  'Service.Auth.Keytab': {
    type: 'string',
    default: '',
    description: 'Kerberos keytab; empty uses KRB5_KTNAME, else /etc/krb5.keytab, as MIT servers do.',
  },
  'Service.Auth.Realms': {
    type: 'string',
    default: '',
    description: 'Kerberos realms whose users map to local users (comma-separated); empty means the keytab principals\' realms.',
  },
  'Service.Auth.MaxClockSkewms': { type: 'number', default: 300000, description: 'Largest clock difference Kerberos accepts, in ms.' },
  'Service.Auth.CbtHardeningLevel': { type: 'string', default: 'Relaxed', description: 'HTTPS channel binding: None ignores it, Relaxed checks it when sent, Strict requires it.' },
  'Service.DefaultPorts.HTTP': { type: 'number', default: 5985, description: 'HTTP listener port (--http-port; 0 picks a free port).' },
  'Service.DefaultPorts.HTTPS': { type: 'number', default: 5986, description: 'HTTPS listener port (--https-port; 0 picks a free port).' },
  'Service.IPv4Filter': { type: 'string', default: '*', description: 'IPv4 addresses the listeners accept.' },
  'Service.IPv6Filter': { type: 'string', default: '*', description: 'IPv6 addresses the listeners accept.' },
  'Service.CertificateThumbprint': { type: 'string', default: '', description: 'Read-only: SHA-256 thumbprint of the HTTPS certificate in use.' },
  'Service.AllowRemoteAccess': { type: 'boolean', default: true, description: 'Accept remote requests at all.' },
  'Service.PowerShellPath': {
    type: 'string',
    default: '',
    description:
      'winrmd: the pwsh that runs `powershell[.exe] ...` command lines (Winrmd.CommandMapping); empty looks up pwsh on the command\'s PATH.',
  },
  'Service.AdministratorsGroup': {
    type: 'string',
    default: '',
    description: 'winrmd: a Linux group (e.g. sudo or wheel) whose members are also Administrators; empty for none.',
  },
  'Service.RemoteManagementUsersGroup': {
    type: 'string',
    default: '',
    description: 'winrmd: a Linux group whose members are also Remote Management Users; empty for none.',
  },
  'Winrs.AllowRemoteShellAccess': { type: 'boolean', default: true, description: 'Allow remote shells.' },
  'Winrs.IdleTimeout': { type: 'number', default: 7200000, description: 'A shell with no request for this long is deleted and its processes ended, in ms.' },
  'Winrs.MaxConcurrentUsers': { type: 'number', default: 10, description: 'Users that may have shells at once; one more is refused (QuotaLimit 0x803381AB).' },
  'Winrs.MaxShellRunTime': { type: 'number', default: 2147483647, description: 'Longest life of a shell, in ms.' },
  'Winrs.MaxProcessesPerShell': { type: 'number', default: 25, description: 'Commands one shell may have unfinished at once; one more is refused (QuotaLimit 0x803381A6).' },
  'Winrs.MaxMemoryPerShellMB': {
    type: 'number',
    default: 1024,
    description:
      'Memory each process of a shell may use, in MB (RLIMIT_DATA on the user\'s shell host and every command: an allocation beyond it fails; at least 128); 0 means no limit.',
  },
  'Winrs.MaxShellsPerUser': { type: 'number', default: 30, description: 'Shells one user may have open; one more is refused (QuotaLimit 0x803381A5).' },
  'Firewall.Enabled': {
    type: 'boolean',
    default: true,
    description: 'winrmd: apply the firewall rules to each connection (Windows\' firewall for WinRM); false lets every address through to the Service filters.',
  },
  'Firewall.DefaultProfile': {
    type: 'string',
    default: 'Public',
    description: 'winrmd: network profile (Domain, Private, Public) of interfaces Firewall.Profiles does not name; loopback is Private.',
  },
  'Firewall.Profiles': {
    type: 'string',
    default: '',
    description: 'winrmd: network profile per interface name or local CIDR block, e.g. eth0=Private,10.9.0.0/16=Domain.',
  },
  'Firewall.Rules': {
    type: 'json',
    default: DEFAULT_FIREWALL_RULES,
    itemName: 'Rule',
    description:
      'winrmd: inbound rules (Name, Enabled, Profiles, Action, LocalPort, RemoteAddress); default: Windows\' WinRM rules, any address on Domain and Private, LocalSubnet on Public.',
  },
  'Listener.Address': { type: 'string', default: '*', description: 'winrmd: address the listeners bind (--bind); * is every address.' },
  'Listener.HTTP.Enabled': { type: 'boolean', default: true, description: 'winrmd: run the HTTP listener.' },
  'Listener.HTTPS.Enabled': { type: 'boolean', default: true, description: 'winrmd: run the HTTPS listener.' },
  'Listener.HTTPS.CertificateFile': {
    type: 'string',
    default: '',
    description: 'winrmd: PEM certificate for HTTPS; empty generates one in the state directory.',
  },
  'Listener.HTTPS.KeyFile': { type: 'string', default: '', description: 'winrmd: PEM private key for Listener.HTTPS.CertificateFile.' },
  'Winrmd.StateDir': {
    type: 'string',
    default: '',
    description: 'winrmd: state directory (--state-dir); empty means /var/lib/winrmd as root, else ~/.local/state/winrmd.',
  },
  'Winrmd.CommandInterpreter': {
    type: 'string',
    default: '/bin/sh -c',
    description: 'winrmd: the command interpreter that runs a Command\'s command line (cmd.exe /c on Windows).',
  },
  'Winrmd.MaxBufferedOutputkb': {
    type: 'number',
    default: 1024,
    description: 'winrmd: output a command may hold unreceived before it is paused, in KiB.',
  },
  'Winrmd.ComputerName': { type: 'string', default: '', description: 'winrmd: name reported in faults; empty uses the host name.' },
  'Winrmd.CommandMapping': {
    type: 'string',
    default: 'powershell,cmd,errorlevel,chain,exit',
    description:
      'winrmd: the Windows command-line rules applied before the interpreter (powershell: to pwsh; cmd: cmd[.exe] /c; errorlevel: %ERRORLEVEL% in cmd lines; chain: & && || in cmd lines; exit: exit /b N), comma-separated; empty turns them off.',
  },
  'Winrmd.NetbiosComputerName': {
    type: 'string',
    default: '',
    description: 'winrmd: NetBIOS computer name in the NTLM CHALLENGE; empty: the host name\'s first label in capitals, at most 15 characters.',
  },
  'Winrmd.NetbiosDomainName': {
    type: 'string',
    default: '',
    description: 'winrmd: NetBIOS domain name in the NTLM CHALLENGE; empty: the NetBIOS computer name, as a Windows host outside a domain reports.',
  },
  'Winrmd.DnsComputerName': {
    type: 'string',
    default: '',
    description: 'winrmd: DNS computer name in the NTLM CHALLENGE; empty: the host name (Winrmd.ComputerName when set).',
  },
  'Winrmd.DnsDomainName': {
    type: 'string',
    default: '',
    description: 'winrmd: DNS domain name in the NTLM CHALLENGE; empty: the host name\'s domain part, or the host name itself when it has none.',
  },
  'Winrmd.OsVersion': {
    type: 'string',
    default: '10.0.20348',
    description: 'winrmd: Windows version (major.minor.build) in the NTLM CHALLENGE and Identify\'s ProductVersion; default Windows Server 2022.',
  },
  'Winrmd.LogLevel': { type: 'string', default: 'info', description: 'winrmd: log level (fatal, error, warn, info, debug, trace).' },
  'Winrmd.LogBodies': { type: 'boolean', default: false, description: 'winrmd: log request and response envelopes (debug aid; may hold command data).' },
  'Winrmd.TranscriptDir': {
    type: 'string',
    default: '',
    description:
      'winrmd: directory for transcripts (serve --transcript): every exchange as plaintext, one 0600 JSON-lines file per connection, credentials removed; empty: off.',
  },
  'Winrmd.Events.File': {
    type: 'string',
    default: 'events.jsonl',
    description: 'winrmd: JSON-lines file of Windows-style security events (relative to the state directory); empty turns the file off.',
  },
  'Winrmd.Events.MaxFileSizekb': { type: 'number', default: 10240, description: 'winrmd: size at which the events file is rotated, in KiB.' },
  'Winrmd.Events.MaxFiles': { type: 'number', default: 5, description: 'winrmd: events files kept, the current one included; the oldest is deleted.' },
  'Winrmd.Events.Syslog': {
    type: 'string',
    default: '',
    description: 'winrmd: also send events as RFC 5424 syslog to udp://HOST:PORT, tcp://HOST:PORT or unix:///PATH (a stream socket); empty: off.',
  },
  'Winrmd.Events.RedactPatterns': {
    type: 'json',
    default: [],
    description: 'winrmd: extra regular expressions (case-insensitive) whose match, or its (?<secret>...) group, is redacted from recorded command lines.',
  },
  'Winrmd.Metrics.Port': { type: 'number', default: 0, description: 'winrmd: port of the Prometheus endpoint (GET /metrics); 0 turns it off.' },
  'Winrmd.Metrics.Address': { type: 'string', default: '127.0.0.1', description: 'winrmd: address the Prometheus endpoint binds; * is every address.' },
  'Winrmd.RunAsServiceAccount': {
    type: 'boolean',
    default: false,
    description:
      "winrmd: run every user's shells as winrmd's own account, with its environment, instead of each user's Linux account (needed without root for users mapped to other accounts).",
  },
} as const satisfies Record<string, ConfigKeySpec>;

export interface ConfigKeySpec {
  /** 'json': a structured value (a list or table), checked by the module that owns the setting. */
  readonly type: 'string' | 'number' | 'boolean' | 'json';
  readonly default: string | number | boolean | JsonStructure;
  /** For a 'json' list of tables: what `winrmd config show` calls each item. */
  readonly itemName?: string;
  readonly description: string;
}

export type ConfigKey = keyof typeof CONFIG_KEYS;

type ValueOf<T extends ConfigKeySpec['type']> = T extends 'string' ? string : T extends 'number' ? number : T extends 'boolean' ? boolean : JsonStructure;

/** The effective configuration: one value per key, typed by the key's spec. */
export type Config = { readonly [K in ConfigKey]: ValueOf<(typeof CONFIG_KEYS)[K]['type']> };
