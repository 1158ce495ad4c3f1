/**
 * A stand-in for pwsh in the command-mapping tests: a shell script that records each call (its
 * arguments, and its stdin when FAKE_PWSH_READ_STDIN=1 is in its environment) in its directory,
 * says it ran, and exits with FAKE_PWSH_EXIT (default 0). It reads stdin only when asked, since
 * pywinrm's run_ps never closes it.
 */
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface FakePwshCall {
  readonly args: string[];
  readonly stdin: Buffer | undefined;
}

export interface FakePwsh {
  /** The executable, named `pwsh`, in a directory of its own (put the directory on PATH). */
  readonly path: string;
  readonly directory: string;
  /** Every call so far, oldest first. */
  calls(): Promise<FakePwshCall[]>;
}

export const FAKE_PWSH_OUTPUT = 'fake-pwsh ran';

export async function installFakePwsh(directory: string): Promise<FakePwsh> {
  const records = join(directory, 'calls');
  await mkdir(records, { recursive: true });
  const path = join(directory, 'pwsh');
  const script = [
    '#!/bin/sh',
    // Its own PATH: the tests run winrmd with a PATH that holds no pwsh, and often nothing at all.
    'PATH=/usr/bin:/bin',
    `records='${records}'`,
    'call="$records/$(date +%s%N)-$$"',
    // Written under a temporary name and moved, so a reader never sees half a record.
    `printf '%s\\0' "$@" > "$call.tmp" && mv "$call.tmp" "$call.args"`,
    'if [ "${FAKE_PWSH_READ_STDIN:-}" = 1 ]; then cat > "$call.stdin"; fi',
    `echo '${FAKE_PWSH_OUTPUT}'`,
    'exit "${FAKE_PWSH_EXIT:-0}"',
    '',
  ].join('\n');
  await writeFile(path, script);
  await chmod(path, 0o755);
  return {
    path,
    directory,
    async calls() {
      const names = (await readdir(records)).filter((n) => n.endsWith('.args')).sort();
      return Promise.all(
        names.map(async (name) => {
          const base = join(records, name.slice(0, -'.args'.length));
          const args = (await readFile(`${base}.args`, 'utf8')).split('\0').slice(0, -1);
          const stdin = await readFile(`${base}.stdin`).catch(() => undefined);
          return { args, stdin };
        }),
      );
    },
  };
}

/** The script a call was given with -EncodedCommand, decoded as pwsh decodes it. */
export function encodedScriptOf(call: FakePwshCall): string | undefined {
  const at = call.args.indexOf('-EncodedCommand');
  const value = at < 0 ? undefined : call.args[at + 1];
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf16le');
}
