/**
 * A throw-away network for the firewall tests, built from Linux network namespaces joined by veth
 * pairs (iproute2), as root:
 *
 *     server 10.203.1.1 ─┐
 *                        ├─ bridge 10.203.1.254 [router] 10.203.2.254 ── far 10.203.2.2
 *     near   10.203.1.2 ─┘
 *
 * `near` is on the server's subnet; `far` reaches it through the router from another subnet. All
 * addresses exist only inside these namespaces, and names carry a random id so parallel runs do
 * not collide. Nothing is routed to or from the host's own namespace.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseListeningLine, REPO_ROOT, shebangNodeOptions } from '../support/server-process.js';

const run = promisify(execFile);
const WINRMD = join(REPO_ROOT, 'bin', 'winrmd');

export const SERVER_ADDRESS = '10.203.1.1';
export const NEAR_ADDRESS = '10.203.1.2';
export const FAR_ADDRESS = '10.203.2.2';

export interface Lab {
  readonly namespaces: { readonly server: string; readonly near: string; readonly far: string; readonly router: string };
  /** The server's interface, for Firewall.Profiles. */
  readonly serverInterface: string;
  /** Runs `command` inside namespace `ns`. */
  exec(ns: string, command: string[]): Promise<string>;
  destroy(): Promise<void>;
}

async function ip(args: string[]): Promise<string> {
  return (await run('ip', args)).stdout;
}

/** Why the lab cannot be built here, or undefined when it can. */
export async function labUnavailableReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not running as root';
  const probe = `wfw-probe-${randomBytes(3).toString('hex')}`;
  try {
    await ip(['netns', 'add', probe]);
    await ip(['netns', 'del', probe]);
    return undefined;
  } catch (error) {
    return `'ip netns' does not work here: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}

export async function createLab(): Promise<Lab> {
  const id = randomBytes(3).toString('hex');
  const namespaces = { server: `wfw-${id}-srv`, near: `wfw-${id}-near`, far: `wfw-${id}-far`, router: `wfw-${id}-rtr` };
  // Interface names must fit in 15 bytes.
  const link = (name: string): string => `wf${id}${name}`;
  const created: string[] = [];
  const inNs = (ns: string, args: string[]): Promise<string> => ip(['-n', ns, ...args]);
  const exec = async (ns: string, command: string[]): Promise<string> => (await run('ip', ['netns', 'exec', ns, ...command])).stdout;
  const destroy = async (): Promise<void> => {
    for (const ns of created) await ip(['netns', 'del', ns]).catch(() => undefined);
    // A pair left in the host namespace by a failure half-way through creation.
    for (const name of ['s0', 'n0', 'f0']) await ip(['link', 'del', link(name)]).catch(() => undefined);
  };
  /** A veth pair with one end in each namespace. */
  const pair = async (a: string, nsA: string, b: string, nsB: string): Promise<void> => {
    await ip(['link', 'add', link(a), 'type', 'veth', 'peer', 'name', link(b)]);
    await ip(['link', 'set', link(a), 'netns', nsA]);
    await ip(['link', 'set', link(b), 'netns', nsB]);
  };
  try {
    for (const ns of Object.values(namespaces)) {
      await ip(['netns', 'add', ns]);
      created.push(ns);
      await inNs(ns, ['link', 'set', 'lo', 'up']);
    }
    await pair('s0', namespaces.server, 's1', namespaces.router);
    await pair('n0', namespaces.near, 'n1', namespaces.router);
    await pair('f0', namespaces.far, 'f1', namespaces.router);

    const router = namespaces.router;
    await inNs(router, ['link', 'add', link('br'), 'type', 'bridge']);
    for (const member of ['s1', 'n1']) {
      await inNs(router, ['link', 'set', link(member), 'master', link('br')]);
      await inNs(router, ['link', 'set', link(member), 'up']);
    }
    await inNs(router, ['addr', 'add', '10.203.1.254/24', 'dev', link('br')]);
    await inNs(router, ['link', 'set', link('br'), 'up']);
    await inNs(router, ['addr', 'add', '10.203.2.254/24', 'dev', link('f1')]);
    await inNs(router, ['link', 'set', link('f1'), 'up']);
    // /proc/sys/net is per namespace: this turns forwarding on in the router only.
    await exec(router, ['sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward']);

    const hosts: [string, string, string, string | undefined][] = [
      [namespaces.server, link('s0'), `${SERVER_ADDRESS}/24`, '10.203.1.254'],
      [namespaces.near, link('n0'), `${NEAR_ADDRESS}/24`, undefined],
      [namespaces.far, link('f0'), `${FAR_ADDRESS}/24`, '10.203.2.254'],
    ];
    for (const [ns, dev, address, gateway] of hosts) {
      await inNs(ns, ['addr', 'add', address, 'dev', dev]);
      await inNs(ns, ['link', 'set', dev, 'up']);
      if (gateway !== undefined) await inNs(ns, ['route', 'add', 'default', 'via', gateway]);
    }
  } catch (error) {
    await destroy();
    throw error;
  }
  return { namespaces, serverInterface: link('s0'), exec, destroy };
}

export interface LabServer {
  logs(): string[];
  stop(): Promise<void>;
}

/** Adds a user to `stateDir` (from the host namespace: it only writes users.json). */
export async function addLabUser(stateDir: string, name: string, password: string): Promise<void> {
  const child = spawn(process.execPath, [WINRMD, 'user', 'add', name, '--group', 'Administrators', '--password-stdin', '--state-dir', stateDir], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  child.stdin.end(`${password}\n`);
  const code = await new Promise<number | null>((resolve) => {
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`winrmd user add exited ${String(code)}`);
}

/**
 * Runs `winrmd serve` inside the server namespace, bound to the server's address on 5985/5986
 * (the namespace is ours alone, so the real ports are free), and waits for both listeners.
 */
export async function startLabServer(lab: Lab, stateDir: string, sets: string[]): Promise<LabServer> {
  const args = ['netns', 'exec', lab.namespaces.server, process.execPath, ...shebangNodeOptions(WINRMD), WINRMD, 'serve', '--state-dir', stateDir, '--bind', SERVER_ADDRESS];
  // The lab's user has no Linux account: its shells run as the server's own (see README, Accounts).
  const allSets = ['Winrmd.RunAsServiceAccount=true', ...sets];
  const child: ChildProcess = spawn('ip', [...args, ...allSets.flatMap((set) => ['--set', set])], {
    env: { ...process.env, WINRMD_ADMIN_PASSWORD: randomBytes(12).toString('hex') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const seen = new Set<string>();
  let pending = '';
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`winrmd did not start:\n${lines.join('\n')}`));
    }, 20_000);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const event = parseListeningLine(line);
        if (event !== undefined) seen.add(event.transport);
        if (seen.has('http') && seen.has('https')) {
          clearTimeout(timer);
          resolve();
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => lines.push(`[stderr] ${chunk.toString('utf8')}`));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`winrmd exited early (${String(code)}):\n${lines.join('\n')}`));
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await listening;
  } catch (error) {
    await stop();
    throw error;
  }
  return { logs: () => [...lines], stop };
}
