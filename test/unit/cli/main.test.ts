import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main.js';

// serve belongs to another module; here we only check that main hands it the rest of the line.
vi.mock('../../../cli/serve-command.js', () => ({
  runServe: vi.fn((argv: readonly string[]) => (argv.includes('--fail') ? Promise.reject(new Error('port in use')) : Promise.resolve(0))),
}));
const { runServe } = await import('../../../cli/serve-command.js');

class Capture {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(argv: readonly string[], stdinText = ''): Promise<Run> {
  const stdout = new Capture();
  const stderr = new Capture();
  const status = await main(argv, { stdin: Readable.from([Buffer.from(stdinText)]), stdout, stderr });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winrmd-cli-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('winrmd user', () => {
  it('adds a user with the password from stdin and lists it', async () => {
    const added = await run(['user', 'add', 'alice', '--group', 'Administrators', '--group', 'Ops', '--os-user', 'root', '--password-stdin', '--state-dir', dir], 's3cret\nignored\n');
    expect(added).toMatchObject({ status: 0, stderr: '' });
    const listed = await run(['user', 'list', '--state-dir', dir]);
    expect(listed).toEqual({ status: 0, stdout: 'alice\tAdministrators,Ops\troot\n', stderr: '' });
    const file = await readFile(join(dir, 'users.json'), 'utf8');
    expect(file).not.toContain('s3cret');
  });

  it('uses only the first line of stdin, without CR or LF, as the password', async () => {
    await run(['user', 'add', 'bob', '--password-stdin', '--state-dir', dir], 'pw with spaces\r\nsecond line\n');
    const { UserStore } = await import('../../../users/user-store.js');
    const store = UserStore.open(dir);
    expect(await store.verify('bob', 'pw with spaces')).toBeDefined();
    expect(await store.verify('bob', 'pw with spaces\r')).toBeUndefined();
  });

  it('accepts a password without a trailing newline', async () => {
    expect((await run(['user', 'add', 'carol', '--password-stdin', '--state-dir', dir], 'no-newline')).status).toBe(0);
    const { UserStore } = await import('../../../users/user-store.js');
    expect(await UserStore.open(dir).verify('carol', 'no-newline')).toBeDefined();
  });

  it('notes on stderr when the new user has no group', async () => {
    const result = await run(['user', 'add', 'dave', '--password-stdin', '--state-dir', dir], 'pw\n');
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/no group.*--group Administrators/);
    expect((await run(['user', 'list', '--state-dir', dir])).stdout).toBe('dave\t\tdave\n');
  });

  it('refuses an empty password, a missing --password-stdin and a duplicate', async () => {
    expect(await run(['user', 'add', 'erin', '--password-stdin', '--state-dir', dir], '\n')).toMatchObject({
      status: 2,
      stderr: 'winrmd: the password on standard input is empty\n',
    });
    const noFlag = await run(['user', 'add', 'erin', '--state-dir', dir], 'pw\n');
    expect(noFlag.status).toBe(2);
    expect(noFlag.stderr).toMatch(/^winrmd: pass --password-stdin/);
    expect((await run(['user', 'list', '--state-dir', dir])).stdout).toBe('');

    expect((await run(['user', 'add', 'erin', '--password-stdin', '--state-dir', dir], 'pw\n')).status).toBe(0);
    const duplicate = await run(['user', 'add', 'ERIN', '--password-stdin', '--state-dir', dir], 'pw\n');
    expect(duplicate).toMatchObject({ status: 1, stderr: "winrmd: user 'erin' already exists\n" });
  });

  it('stores --os-user, and refuses a name no Linux account can have with status 2', async () => {
    expect((await run(['user', 'add', 'ops', '--os-user', 'root', '--password-stdin', '--state-dir', dir], 'pw\n')).status).toBe(0);
    const bad = await run(['user', 'add', 'ops2', '--os-user', '1000', '--password-stdin', '--state-dir', dir], 'pw\n');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^winrmd: invalid Linux account name '1000'/);
    // A winrmd name that cannot be an account's needs --os-user.
    expect((await run(['user', 'add', '4711', '--password-stdin', '--state-dir', dir], 'pw\n')).status).toBe(2);
    expect((await run(['user', 'list', '--state-dir', dir])).stdout).toBe('ops\t\troot\n');
  });

  it('notes when the Linux account does not exist', async () => {
    const result = await run(['user', 'add', 'winrmd-no-such-account', '--password-stdin', '--state-dir', dir], 'pw\n');
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/there is no Linux account winrmd-no-such-account; .*--create-os-user/);
  });

  it('--create-os-user leaves an existing account alone, and needs root for a new one', async () => {
    const existing = await run(['user', 'add', 'admin', '--os-user', 'root', '--create-os-user', '--password-stdin', '--state-dir', dir], 'pw\n');
    expect(existing.status).toBe(0);
    expect(existing.stderr).toMatch(/the Linux account root already exists/);
    // process.getuid is optional in the typings (absent on Windows); here it exists.
    const getuid = vi.spyOn(process as unknown as { getuid: () => number }, 'getuid').mockReturnValue(1000);
    try {
      const result = await run(['user', 'add', 'newbie', '--os-user', 'winrmd-no-such-account', '--create-os-user', '--password-stdin', '--state-dir', dir], 'pw\n');
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/creating the Linux account 'winrmd-no-such-account' needs root/);
    } finally {
      getuid.mockRestore();
    }
    // Nothing was added for the refused one.
    expect((await run(['user', 'list', '--state-dir', dir])).stdout).toBe('admin\t\troot\n');
  });

  it('refuses a password given as an argument', async () => {
    const result = await run(['user', 'add', 'frank', 'hunter2', '--password-stdin', '--state-dir', dir], 'pw\n');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unexpected argument 'hunter2'/);
  });

  it('rejects an invalid user name with status 2', async () => {
    const result = await run(['user', 'add', 'DOMAIN\\gina', '--password-stdin', '--state-dir', dir], 'pw\n');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^winrmd: invalid user name/);
  });

  it('removes a user, and fails with 1 for an unknown one', async () => {
    await run(['user', 'add', 'hank', '--password-stdin', '--state-dir', dir], 'pw\n');
    expect((await run(['user', 'remove', 'HANK', '--state-dir', dir])).status).toBe(0);
    expect((await run(['user', 'list', '--state-dir', dir])).stdout).toBe('');
    const again = await run(['user', 'remove', 'hank', '--state-dir', dir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^winrmd: no user named hank/);
  });

  it('takes the state directory from --set and from the config file too', async () => {
    await run(['user', 'add', 'ivy', '--password-stdin', '--set', `Winrmd.StateDir=${dir}`], 'pw\n');
    const config = join(dir, 'winrmd.yaml');
    await writeFile(config, `Winrmd:\n  StateDir: ${JSON.stringify(dir)}\n`);
    expect((await run(['user', 'list', '--config', config])).stdout).toBe('ivy\t\tivy\n');
  });

  it('reports an unknown user subcommand with status 2', async () => {
    const result = await run(['user', 'rename', 'x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^winrmd: unknown subcommand 'user rename'/);
  });
});

describe('winrmd config show', () => {
  it('prints the effective configuration with --set applied', async () => {
    const result = await run(['config', 'show', '--set', 'service.auth.basic=false', '--set', 'Service.DefaultPorts.HTTP=8080']);
    expect(result.status).toBe(0);
    expect(result.stdout.startsWith('Config\n    Service\n')).toBe(true);
    expect(result.stdout).toContain('\n            Basic = false\n');
    expect(result.stdout).toContain('\n            HTTP = 8080\n');
    expect(result.stdout.endsWith('\n')).toBe(true);
  });

  it('reads --config and lets --set win over it', async () => {
    const config = join(dir, 'winrmd.toml');
    await writeFile(config, '[Winrs]\nIdleTimeout = 1000\nMaxShellsPerUser = 5\n');
    const result = await run(['config', 'show', '--config', config, '--set', 'Winrs.IdleTimeout=2000']);
    expect(result.stdout).toContain('        IdleTimeout = 2000\n');
    expect(result.stdout).toContain('        MaxShellsPerUser = 5\n');
  });

  it('reports configuration mistakes in one line with status 2', async () => {
    const unknown = await run(['config', 'show', '--set', 'Service.Bogus=1']);
    expect(unknown).toEqual({ status: 2, stdout: '', stderr: "winrmd: --set Service.Bogus=1: unknown setting 'Service.Bogus'\n" });
    const missing = await run(['config', 'show', '--config', join(dir, 'absent.yaml')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^winrmd: cannot read config file .*absent\.yaml/);
    expect(missing.stderr.split('\n')).toHaveLength(2);
  });
});

describe('winrmd', () => {
  it('returns 2 for an unknown command or option, without a stack trace', async () => {
    const command = await run(['frobnicate']);
    expect(command).toEqual({ status: 2, stdout: '', stderr: "winrmd: unknown command 'frobnicate' (see 'winrmd --help')\n" });
    const flag = await run(['config', 'show', '--frob']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/^winrmd: Unknown option '--frob'/);
    expect(flag.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints help on --help and to stderr with status 2 when given nothing', async () => {
    const help = await run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: winrmd/);
    expect(help.stdout).toContain('--group Administrators');
    const nothing = await run([]);
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toMatch(/^Usage: winrmd/);
  });

  it('prints the package version', async () => {
    const manifest = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await run(['--version'])).toEqual({ status: 0, stdout: `winrmd ${manifest.version}\n`, stderr: '' });
  });

  it('hands serve the rest of the command line and its status', async () => {
    expect((await run(['serve', '--http-port', '0'])).status).toBe(0);
    expect(runServe).toHaveBeenLastCalledWith(['--http-port', '0']);
    const failed = await run(['serve', '--fail']);
    expect(failed).toEqual({ status: 1, stdout: '', stderr: 'winrmd: port in use\n' });
  });
});
