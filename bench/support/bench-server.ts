/**
 * The real endpoint, started in this process on an ephemeral port with a throw-away state
 * directory and one Administrators user, logging nothing (a log line per request would be
 * measured too). AllowUnencrypted lets Basic work over HTTP; encrypting clients are unaffected.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/index.js';
import { createLogger } from '../../server/logger.js';
import { startEndpoint } from '../../server/start-endpoint.js';
import { ADMINISTRATORS, UserStore } from '../../users/index.js';

export interface BenchServer {
  readonly httpPort: number;
  close(): Promise<void>;
}

export async function startBenchServer(user: string, password: string): Promise<BenchServer> {
  const stateDir = await mkdtemp(join(tmpdir(), 'winrmd-bench-'));
  const removeStateDir = (): Promise<void> => rm(stateDir, { recursive: true, force: true });
  try {
    const users = UserStore.open(stateDir);
    await users.add(user, password, [ADMINISTRATORS]);
    const config = await loadConfig({
      overrides: {
        'Service.DefaultPorts.HTTP': 0,
        'Service.DefaultPorts.HTTPS': 0,
        'Listener.Address': '127.0.0.1',
        'Service.AllowUnencrypted': true,
        // The bench user has no Linux account: run its shells as the bench's own account.
        'Winrmd.RunAsServiceAccount': true,
      },
    });
    const endpoint = await startEndpoint(config, stateDir, users, createLogger('silent'));
    const httpPort = endpoint.ports.http;
    if (httpPort === undefined) {
      await endpoint.close();
      throw new Error('the endpoint started without an HTTP listener');
    }
    return {
      httpPort,
      async close() {
        await endpoint.close();
        await removeStateDir();
      },
    };
  } catch (error) {
    await removeStateDir();
    throw error;
  }
}
