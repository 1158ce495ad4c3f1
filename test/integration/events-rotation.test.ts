/** The events file is rotated by size and never holds more than MaxFiles files, however busy the service. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPywinrmSpec } from '../support/pywinrm-runner.js';
import { startServer, type TestUser } from '../support/server-process.js';
import { events } from './events-support.js';

const ALICE: TestUser = { name: 'alice', password: 'Alice-Rotate-Pa55!', groups: ['Administrators'] };

describe('events file rotation', () => {
  it('keeps MaxFiles files of at most MaxFileSizekb each', async () => {
    const server = await startServer({ users: [ALICE], sets: ['Winrmd.Events.MaxFileSizekb=4', 'Winrmd.Events.MaxFiles=3'] });
    try {
      // Each run_cmd is a connection, a shell and a command: ten or so events, some 7 KiB.
      const steps = Array.from({ length: 12 }, () => ({ op: 'session_run_cmd', command: 'true' }) as const);
      const output = await runPywinrmSpec({ endpoint: `https://127.0.0.1:${server.httpsPort}/wsman`, user: ALICE.name, password: ALICE.password, steps });
      expect(output.error).toBeNull();
      const files = (await readdir(server.stateDir)).filter((f) => f.startsWith('events.jsonl')).sort();
      expect(files).toEqual(['events.jsonl', 'events.jsonl.1', 'events.jsonl.2']);
      for (const file of files) expect((await stat(join(server.stateDir, file))).size).toBeLessThanOrEqual(4096);
      // What is kept is the newest, without gaps.
      const ids = events(server, 3).map((r) => r.EventRecordID);
      expect(ids[0]).toBeGreaterThan(1);
      expect(ids).toEqual(ids.map((_, i) => (ids[0] ?? 0) + i));
    } finally {
      await server.stop();
    }
  });
});
