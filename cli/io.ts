/** Where a command reads and writes; tests pass their own, the real CLI uses the process's streams. */
export interface OutputStream {
  write(text: string): unknown;
}

export interface CliIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
}

export function withProcessDefaults(io: Partial<CliIo>): CliIo {
  return {
    stdin: io.stdin ?? process.stdin,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
  };
}
