import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, shebangNodeOptions } from '../../support/server-process.js';

describe("bin/winrmd's node options", () => {
  it('gives node the larger initial old space on its first line, which the test harness passes on', async () => {
    const script = join(REPO_ROOT, 'bin', 'winrmd');
    expect((await readFile(script, 'utf8')).split('\n', 1)[0]).toBe('#!/usr/bin/env -S node --initial-old-space-size=128');
    expect(shebangNodeOptions(script)).toEqual(['--initial-old-space-size=128']);
  });

  describe('reading them from a first line', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'winrmd-shebang-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    async function optionsOf(firstLine: string): Promise<string[]> {
      const file = join(dir, 'script');
      await writeFile(file, `${firstLine}\nconsole.log(1);\n`);
      return shebangNodeOptions(file);
    }

    it('finds none on a plain node line, several when given', async () => {
      expect(await optionsOf('#!/usr/bin/env node')).toEqual([]);
      expect(await optionsOf('#!/usr/bin/env -S node --a=1  --b')).toEqual(['--a=1', '--b']);
      expect(await optionsOf('#!/usr/bin/env -S node --max-old-space-size 128')).toEqual(['--max-old-space-size', '128']);
    });

    it('finds none in a file that does not start node', async () => {
      expect(await optionsOf('#!/bin/sh')).toEqual([]);
      expect(await optionsOf('// no interpreter line --x')).toEqual([]);
    });
  });
});
