/**
 * Winrs.MaxMemoryPerShellMB's cgroup v2 path on a real kernel: boots Debian's kernel in QEMU with
 * the host's root filesystem (scripts/test-cgroup-vm.sh prepares the kernel and initramfs and says
 * why a VM), where scripts/cgroup-vm/inside.sh starts winrmd twice and drives it with pywinrm:
 *
 * - delegated: winrmd at the root of its own cgroup namespace, as in a container: each shell gets a
 *   cgroup with memory.max, its commands run there, two processes that each stay under RLIMIT_DATA
 *   but together exceed the limit meet the OOM killer, and the cgroup goes with the shell;
 * - fallback: winrmd in the host's root cgroup, which is not its own: it says so at start, and
 *   RLIMIT_DATA alone bounds each process.
 *
 * In both a missing program is still a launch fault, and one process over the limit fails its
 * allocation (RLIMIT_DATA) rather than being killed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/server-process.js';

const LIMIT_BYTES = 200 * 1024 * 1024;

interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

type Facts = Map<string, unknown>;

const facts = new Map<string, Facts>();
const logs = new Map<string, string>();
let vmConsole = '';

/**
 * KVM when the CPU offers virtualisation (vmx or svm); otherwise TCG, QEMU's emulation. Not KVM on
 * /dev/kvm alone: a machine that is itself a VM may have /dev/kvm without nested virtualisation,
 * and a guest started there on KVM never gets past the firmware.
 */
function accelerator(): string {
  const flags = readFileSync('/proc/cpuinfo', 'utf8');
  return existsSync('/dev/kvm') && /^flags\s*:.*\b(vmx|svm)\b/m.test(flags) ? 'kvm' : 'tcg';
}

function bootVm(kernel: string, initrd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const qemu = spawn(
      'qemu-system-x86_64',
      [
        ...['-accel', accelerator(), '-m', '1024', '-smp', '1', '-nographic', '-no-reboot'],
        ...['-kernel', kernel, '-initrd', initrd, '-append', `console=ttyS0 quiet panic=-1 winrmd_repo=${REPO_ROOT}`],
        ...['-virtfs', 'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    qemu.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    qemu.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    qemu.once('error', reject);
    qemu.once('exit', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`qemu exited with ${String(code)}:\n${output}`));
    });
  });
}

function fact(scenario: string, name: string): unknown {
  const found = facts.get(scenario)?.get(name);
  if (found === undefined) throw new Error(`the VM reported no ${name} for ${scenario}; its console:\n${vmConsole}`);
  return found;
}

function run(scenario: string, name: string): RunResult {
  return fact(scenario, name) as RunResult;
}

beforeAll(async () => {
  const kernel = process.env['WINRMD_VM_KERNEL'];
  const initrd = process.env['WINRMD_VM_INITRD'];
  if (kernel === undefined || initrd === undefined) throw new Error('run through `npm run test:cgroup-vm`, which prepares the VM');
  const begun = Date.now();
  vmConsole = await bootVm(kernel, initrd);
  process.stdout.write(`cgroup-vm: the VM ran for ${((Date.now() - begun) / 1000).toFixed(1)} s\n`);
  for (const line of vmConsole.split(/\r?\n/)) {
    if (line.startsWith('winrmd-vm-fact ')) {
      const { scenario, name, value } = JSON.parse(line.slice('winrmd-vm-fact '.length)) as { scenario: string; name: string; value: unknown };
      facts.set(scenario, (facts.get(scenario) ?? new Map<string, unknown>()).set(name, value));
    } else if (line.startsWith('winrmd-vm-log ')) {
      const [, scenario = '', ...rest] = line.split(' ');
      logs.set(scenario, rest.join(' '));
    }
  }
  expect(vmConsole, 'the VM finished its checks').toContain('winrmd-vm-done');
  expect(vmConsole).not.toContain('winrmd-vm-error');
});

describe('in its own cgroup namespace (delegated)', () => {
  it('says at start that shells get memory.max under its cgroup', () => {
    expect(logs.get('delegated')).toContain('per-shell memory.max under /');
  });

  it('moves itself and what shared its cgroup into its leaf, and nothing outside that cgroup', () => {
    expect(fact('delegated', 'companionCgroup')).toBe('/winrmd-ct/winrmd');
  });

  it('runs each command in its shell’s cgroup, whose memory.max is the limit', () => {
    expect(fact('delegated', 'commandCgroup')).toMatch(/^\/host-\d+-\d+\/shell-\d+$/);
    expect(run('delegated', 'memoryMax').stdout.trim()).toBe(String(LIMIT_BYTES));
    const tree = fact('delegated', 'treeOpen') as string[];
    expect(tree).toContain('winrmd');
    expect(tree.some((dir) => /^host-\d+-\d+\/host$/.test(dir))).toBe(true);
  });

  it('bounds the shell as a whole: of two processes each under the limit, one is OOM-killed', () => {
    const together = run('delegated', 'together');
    expect(together.stdout).toMatch(/exit 137/);
    const kills = /oom_kill (\d+)/.exec(together.stdout);
    expect(Number(kills?.[1] ?? 0)).toBeGreaterThanOrEqual(1);
  });

  it('removes the shell’s cgroup when the shell is deleted, and keeps its own leaf', () => {
    const tree = fact('delegated', 'treeClosed') as string[];
    expect(tree.filter((dir) => dir.includes('shell-'))).toEqual([]);
    expect(tree).toContain('winrmd');
  });
});

describe('in a cgroup not its own (fallback)', () => {
  it('says at start why it does not use cgroups', () => {
    expect(logs.get('fallback')).toContain('not used: winrmd runs in the root cgroup of the host');
  });

  it('leaves the commands where it is, and two processes under the limit both finish', () => {
    expect(fact('fallback', 'commandCgroup')).toBe('/');
    const together = run('fallback', 'together');
    expect(together.stdout).toMatch(/^exit 0\nexit 0\n$/);
  });
});

describe.each(['delegated', 'fallback'])('%s, as everywhere', (scenario) => {
  it('fails one process’s allocation over the limit (RLIMIT_DATA) rather than killing it', () => {
    const alone = run(scenario, 'alone');
    expect(alone.stdout).toContain('MemoryError');
    expect(alone.code).toBe(3);
  });

  it('answers a program that does not exist with a fault, not an exit code', () => {
    // ERROR_FILE_NOT_FOUND, as Windows answers a program it cannot find.
    expect(fact(scenario, 'missing')).toMatch(/^WinRMError: The system cannot find the file specified\..*'wsmanfault_code': '2147942402'/);
  });
});
