/**
 * Every row of the comparison, in the order: its labels, unit, what it is compared with and
 * the target. The measuring lives in the steps (steps.ts); this is the table's skeleton.
 */
import type { Summary } from './stats.js';

export interface Target {
  readonly text: string;
  readonly met: (ratio: number | undefined, winrmd: Summary) => boolean;
}

export interface RowDef {
  readonly id: string;
  readonly figure: string;
  readonly variant: string;
  readonly unit: string;
  readonly better: 'lower' | 'higher';
  readonly against?: string;
  readonly target?: Target;
  readonly note?: string;
}

const atMost = (limit: number, text: string): Target => ({ text, met: (ratio) => ratio !== undefined && ratio <= limit });
const below = (limit: number, text: string): Target => ({ text, met: (ratio) => ratio !== undefined && ratio < limit });
const atLeast = (limit: number, text: string): Target => ({ text, met: (ratio) => ratio !== undefined && ratio >= limit });

const SSH_MUX_TRUE = 'ssh over ControlMaster: true';
const NO_PROFILE = 'WINRS_NOPROFILE TRUE: winrmd runs sh -c true, as sshd does for ssh host true';
const PROFILE = "WINRS_NOPROFILE FALSE (pywinrm's default): /etc/profile and ~/.profile before the command line";
const SSH_NEW_TRUE = 'ssh, new connection: true';

const TRANSFER_SET_UPS = [
  ['basic-https', 'HTTPS Basic'],
  ['ntlm-http', 'HTTP NTLM-sealed'],
  ['kerberos-http', 'HTTP Kerberos-wrapped'],
] as const;

/** What one transfer cost each side in CPU per MiB (steps.ts, transferStep): no target, the why of the rates. */
function cpuRows(kind: 'stdout' | 'stdin'): RowDef[] {
  const against = {
    server: 'sshd, its session and command',
    client: `ssh's ControlMaster and the pipe's ${kind === 'stdout' ? 'reader' : 'writer'}`,
  };
  return (['server', 'client'] as const).flatMap((side) =>
    TRANSFER_SET_UPS.map(([auth, variant]): RowDef => ({
      id: `${kind}-cpu-${side}/${auth}`,
      figure: `${kind}: ${side} CPU`,
      variant,
      unit: 'ms/MiB',
      better: 'lower',
      against: against[side],
    })),
  );
}

export const ROWS: readonly RowDef[] = [
  { id: 'shell-command/basic-https', figure: 'One command in an open shell', variant: 'HTTPS Basic', unit: 'ms', better: 'lower', against: SSH_MUX_TRUE, target: atMost(0.5, 'ratio ≤ 0.5'), note: NO_PROFILE },
  { id: 'shell-command/ntlm-http', figure: 'One command in an open shell', variant: 'HTTP NTLM-sealed', unit: 'ms', better: 'lower', against: SSH_MUX_TRUE, target: atMost(0.5, 'ratio ≤ 0.5'), note: NO_PROFILE },
  { id: 'run-cmd/basic-https', figure: 'Whole run_cmd, kept connection', variant: 'HTTPS Basic', unit: 'ms', better: 'lower', against: SSH_MUX_TRUE, target: below(1, 'ratio < 1'), note: NO_PROFILE },
  { id: 'run-cmd/ntlm-http', figure: 'Whole run_cmd, kept connection', variant: 'HTTP NTLM-sealed', unit: 'ms', better: 'lower', against: SSH_MUX_TRUE, target: below(1, 'ratio < 1'), note: NO_PROFILE },
  // pywinrm's default: the shell reads the login profile before each command line, which ssh's `true` does not.
  { id: 'shell-command-profile/basic-https', figure: 'One command, profile read', variant: 'HTTPS Basic', unit: 'ms', better: 'lower', against: SSH_MUX_TRUE, note: PROFILE },
  { id: 'run-cmd-profile/basic-https', figure: 'Whole run_cmd, profile read', variant: 'HTTPS Basic', unit: 'ms', better: 'lower', against: SSH_MUX_TRUE, note: PROFILE },
  // The warm-up's first runs (steps.ts, warmUpStep): what the rows above cost a server just started.
  {
    id: 'cold-run-cmd/basic-https',
    figure: 'Whole run_cmd, winrmd just started',
    variant: 'HTTPS Basic',
    unit: 'ms',
    better: 'lower',
    against: SSH_MUX_TRUE,
    note: "the warm-up's first 250 run_cmds (fewer if it is shorter), WINRS_NOPROFILE TRUE; the other rows come after the warm-up",
  },
  { id: 'new-connection/basic-https', figure: 'First command, new connection', variant: 'HTTPS Basic', unit: 'ms', better: 'lower', against: SSH_NEW_TRUE },
  { id: 'new-connection/ntlm-http', figure: 'First command, new connection', variant: 'HTTP NTLM', unit: 'ms', better: 'lower', against: SSH_NEW_TRUE },
  { id: 'new-connection/kerberos-http', figure: 'First command, new connection', variant: 'HTTP Kerberos', unit: 'ms', better: 'lower', against: SSH_NEW_TRUE },
  { id: 'stdout/basic-https', figure: 'stdout throughput', variant: 'HTTPS Basic', unit: 'MiB/s', better: 'higher', against: "ssh 'head -c N /dev/zero'", target: atLeast(0.5, 'ratio ≥ 0.5') },
  { id: 'stdout/ntlm-http', figure: 'stdout throughput', variant: 'HTTP NTLM-sealed', unit: 'MiB/s', better: 'higher', against: "ssh 'head -c N /dev/zero'", target: atLeast(0.25, 'ratio ≥ 0.25') },
  { id: 'stdout/kerberos-http', figure: 'stdout throughput', variant: 'HTTP Kerberos-wrapped', unit: 'MiB/s', better: 'higher', against: "ssh 'head -c N /dev/zero'", target: atLeast(0.25, 'ratio ≥ 0.25') },
  { id: 'stdin/basic-https', figure: 'stdin throughput', variant: 'HTTPS Basic', unit: 'MiB/s', better: 'higher', against: "… | ssh 'cat > /dev/null'", target: atLeast(0.5, 'ratio ≥ 0.5') },
  { id: 'stdin/ntlm-http', figure: 'stdin throughput', variant: 'HTTP NTLM-sealed', unit: 'MiB/s', better: 'higher', against: "… | ssh 'cat > /dev/null'", target: atLeast(0.25, 'ratio ≥ 0.25') },
  { id: 'stdin/kerberos-http', figure: 'stdin throughput', variant: 'HTTP Kerberos-wrapped', unit: 'MiB/s', better: 'higher', against: "… | ssh 'cat > /dev/null'", target: atLeast(0.25, 'ratio ≥ 0.25') },
  ...cpuRows('stdout'),
  ...cpuRows('stdin'),
  { id: 'shells/rss-mux', figure: 'Open shells: server RSS per shell', variant: 'HTTP NTLM, 10 users', unit: 'MiB', better: 'lower', against: 'ssh sessions on one ControlMaster connection', target: { text: 'winrmd ≤ 2 MiB', met: (_ratio, winrmd) => winrmd.median <= 2 } },
  { id: 'shells/rss-separate', figure: 'Open shells: server RSS per shell', variant: 'HTTP NTLM, 10 users', unit: 'MiB', better: 'lower', against: 'ssh sessions, one connection each', target: { text: 'winrmd ≤ 2 MiB', met: (_ratio, winrmd) => winrmd.median <= 2 } },
  { id: 'shells/pss-separate', figure: 'Open shells: server PSS per shell', variant: 'HTTP NTLM, 10 users', unit: 'MiB', better: 'lower', against: 'ssh sessions, one connection each' },
  { id: 'shells/up-mux', figure: 'Open shells: time until all are up', variant: 'HTTP NTLM, 10 users', unit: 's', better: 'lower', against: 'ssh sessions on one ControlMaster connection' },
  { id: 'shells/up-separate', figure: 'Open shells: time until all are up', variant: 'HTTP NTLM, 10 users', unit: 's', better: 'lower', against: 'ssh sessions, one connection each', target: below(1, 'ratio < 1') },
  { id: 'identify/rate', figure: 'Identify, keep-alive, 10 connections', variant: 'HTTP, unauthenticated', unit: 'req/s', better: 'higher', against: 'bare Fastify, same reply bytes', target: atLeast(0.5, 'ratio ≥ 0.5') },
  { id: 'identify/cpu', figure: 'Identify: server CPU per request', variant: 'HTTP, unauthenticated', unit: 'µs', better: 'lower', against: 'bare Fastify, same reply bytes' },
  { id: 'handshake/ntlm', figure: 'One NTLM handshake, server CPU', variant: 'in-process', unit: 'µs', better: 'lower' },
  { id: 'handshake/kerberos', figure: 'One Kerberos AP-REQ accepted, server CPU', variant: 'in-process, aes256', unit: 'µs', better: 'lower' },
];
