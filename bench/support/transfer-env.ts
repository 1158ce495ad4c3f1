/**
 * The end-to-end set-up: one server, one Basic and one NTLM-encrypting client, each with its own
 * kept-alive connection and shell, made once so that a timed transfer is only Command, Receive
 * until Done, and Signal. `close` undoes whatever was made, also after a partial start.
 */
import { startBenchServer, type BenchServer } from './bench-server.js';
import { BENCH_PASSWORD, BENCH_USER } from './ntlm-fixtures.js';
import { BasicTransport, NtlmEncryptedTransport, type SoapTransport } from './soap-transports.js';
import { createShell, deleteShell, drainOutput, runCommand, terminate } from './winrs-driver.js';

export interface ShellClient {
  readonly transport: SoapTransport;
  readonly shellId: string;
}

export interface TransferEnv {
  readonly basic: ShellClient;
  readonly ntlm: ShellClient;
  close(): Promise<void>;
}

export async function startTransferEnv(): Promise<TransferEnv> {
  const opened: ShellClient[] = [];
  const transports: SoapTransport[] = [];
  let server: BenchServer | undefined;
  const close = async (): Promise<void> => {
    // Deleting the shells first ends their processes; the server's close would do it too, less politely.
    await Promise.allSettled(opened.map((client) => deleteShell(client.transport, client.shellId)));
    for (const transport of transports) transport.close();
    await server?.close();
  };
  try {
    server = await startBenchServer(BENCH_USER, BENCH_PASSWORD);
    const open = async (transport: SoapTransport): Promise<ShellClient> => {
      transports.push(transport);
      const client = { transport, shellId: await createShell(transport) };
      opened.push(client);
      return client;
    };
    const basic = await open(new BasicTransport(server.httpPort, BENCH_USER, BENCH_PASSWORD));
    const ntlm = await open(await NtlmEncryptedTransport.connect(server.httpPort));
    return { basic, ntlm, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Runs `commandLine` and receives all of its stdout; throws unless exactly `expectedBytes` arrived. */
export async function transfer(client: ShellClient, commandLine: string, expectedBytes: number): Promise<void> {
  const commandId = await runCommand(client.transport, client.shellId, commandLine);
  const result = await drainOutput(client.transport, client.shellId, commandId);
  await terminate(client.transport, client.shellId, commandId);
  if (result.stdoutBytes !== expectedBytes || result.exitCode !== 0) {
    throw new Error(`expected ${expectedBytes} bytes and exit 0, got ${result.stdoutBytes} bytes and exit ${result.exitCode}`);
  }
}
