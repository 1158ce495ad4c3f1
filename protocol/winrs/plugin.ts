import type { FaultProvider } from '../wsman/fault.js';
import { RESOURCE_URI } from './uris.js';

/**
 * The plugin Windows names in f:ProviderFault for errors the cmd shell raises itself (recorded in
 * jborean93/pypsrp tests/tests_pypsrp/responses/test_winrs_fail_poll_process.yml and
 * test_winrs_no_cmd_shell.yml).
 */
const CMD_SHELL_PLUGIN: FaultProvider = { name: 'Shell cmd plugin', path: '%systemroot%\\system32\\winrscmd.dll' };

/** The plugin behind a resource URI, if winrmd stands in for one there. */
export function pluginFor(resourceUri: string | undefined): FaultProvider | undefined {
  return resourceUri?.toLowerCase() === RESOURCE_URI.cmdShell.toLowerCase() ? CMD_SHELL_PLUGIN : undefined;
}
