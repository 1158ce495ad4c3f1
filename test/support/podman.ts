/**
 * podman for the container tests (`npm run test:container`): every call with the tests' own
 * containers.conf (runc, ulimits), names that cannot collide with anyone else's, and the images
 * scripts/test-container.sh built, named by the environment it sets.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { runProcess } from './client-env.js';
import { REPO_ROOT } from './server-process.js';

export const CONTAINERS_CONF = join(REPO_ROOT, 'test', 'container', 'containers.conf');

/** The environment podman and podman-compose run with. */
export function podmanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, CONTAINERS_CONF: process.env['CONTAINERS_CONF'] ?? CONTAINERS_CONF, ...extra };
}

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command args`; never throws for a non-zero exit (see `ok`). */
export async function runTool(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  const result = await runProcess(command, args, {
    env: options.env ?? podmanEnv(),
    ...(options.input === undefined ? {} : { input: options.input }),
    timeoutMs: options.timeoutMs ?? 180_000,
  });
  return { code: result.code, stdout: result.stdout.toString('utf8'), stderr: result.stderr };
}

/** `podman args`, which must succeed; its stdout. */
export async function podman(args: readonly string[], input?: string): Promise<string> {
  return ok(await runTool('podman', args, input === undefined ? {} : { input }), `podman ${args.join(' ')}`);
}

export function ok(result: CommandResult, what: string): string {
  if (result.code !== 0) throw new Error(`${what} exited ${String(result.code)}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** An image the test script built, named by the variable it exported. */
export function builtImage(variable: 'WINRMD_TEST_IMAGE' | 'WINRMD_TEST_KDC_IMAGE' | 'WINRMD_TEST_CLIENT_IMAGE'): string {
  const image = process.env[variable];
  if (image === undefined || image === '') throw new Error(`${variable} is not set: run the container tests with \`npm run test:container\`, which builds the images`);
  return image;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Polls `check` once a second until it returns true; false when `attempts` ran out. */
export async function eventually(check: () => Promise<boolean>, attempts: number): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return false;
}

/** The host port podman published for a container's `port`/tcp (on 127.0.0.1). */
export async function publishedPort(container: string, port: number): Promise<number> {
  const line = (await podman(['port', container, `${port}/tcp`])).trim().split('\n')[0] ?? '';
  const published = Number(line.slice(line.lastIndexOf(':') + 1));
  if (!Number.isInteger(published) || published <= 0) throw new Error(`no published port for ${container} ${port}/tcp: '${line}'`);
  return published;
}
