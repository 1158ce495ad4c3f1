/** The Linux side of `winrmd user add`: create the account on request, else say when it is missing. */
import { AccountResolver, createOsAccount } from '../accounts/index.js';
import type { CliIo } from './io.js';

/**
 * With `create`, makes `osUser` unless it exists (useradd; root only, else the error says so).
 * `noteExisting` false drops the note that an account to create exists already (routine at a
 * container's every start). Without `create`, a missing account is only noted: it may be created
 * later, or live in LDAP that this machine cannot see yet, and the server refuses the user's shells
 * until it exists.
 */
export async function prepareOsAccount(osUser: string, userName: string, create: boolean, io: CliIo, noteExisting = true): Promise<void> {
  const exists = (await new AccountResolver().account(osUser)) !== undefined;
  if (create) {
    if (exists) {
      if (noteExisting) io.stderr.write(`winrmd: note: the Linux account ${osUser} already exists; it was left as it is\n`);
      return;
    }
    await createOsAccount(osUser, `winrmd user ${userName}`);
    io.stdout.write(`created the Linux account ${osUser} (home directory, no password)\n`);
    return;
  }
  if (!exists) {
    io.stderr.write(
      `winrmd: note: there is no Linux account ${osUser}; ${userName}'s shells are refused until it exists ` +
        '(--create-os-user creates it, --os-user maps the user to another account)\n',
    );
  }
}
