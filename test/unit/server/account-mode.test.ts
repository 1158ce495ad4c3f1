import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/index.js';
import type { Logger } from '../../../server/logger.js';
import { accountModeOf, announceAccountMode, currentProcessFacts, type ProcessFacts } from '../../../server/account-mode.js';

const ROOT: ProcessFacts = { uid: 0, userName: 'root', setprivPath: '/usr/bin/setpriv' };
const SERVICE: ProcessFacts = { uid: 998, userName: 'winrmd', setprivPath: '/usr/bin/setpriv' };

function capture(): { lines: string[]; log: Logger; stderr: { write(text: string): boolean }; written: () => string } {
  const lines: string[] = [];
  let written = '';
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  return {
    lines,
    log,
    stderr: {
      write: (text: string) => {
        written += text;
        return true;
      },
    },
    written: () => written,
  };
}

describe('accountModeOf', () => {
  it('is per user as root, own account only without root, and service account when configured', () => {
    expect(accountModeOf(false, ROOT)).toBe('per-user');
    expect(accountModeOf(false, SERVICE)).toBe('own-account-only');
    expect(accountModeOf(true, ROOT)).toBe('service-account');
    expect(accountModeOf(true, SERVICE)).toBe('service-account');
  });
});

describe('announceAccountMode', () => {
  it('logs per-user accounts quietly', async () => {
    const out = capture();
    announceAccountMode(await loadConfig({}), ROOT, out.log, out.stderr);
    expect(out.written()).toBe('');
    expect(out.lines.join('')).toContain('"mode":"per-user"');
  });

  it('warns on stderr and in the log without root', async () => {
    const out = capture();
    announceAccountMode(await loadConfig({}), SERVICE, out.log, out.stderr);
    expect(out.written()).toMatch(/^winrmd: warning: winrmd is not running as root: shells run as its own account winrmd \(uid 998\)/);
    expect(out.lines.join('')).toMatch(/"level":40.*"mode":"own-account-only"/);
  });

  it('warns when everyone runs as the service account', async () => {
    const out = capture();
    announceAccountMode(await loadConfig({ sets: ['Winrmd.RunAsServiceAccount=true'] }), ROOT, out.log, out.stderr);
    expect(out.written()).toMatch(/every user's shells run as winrmd's own account root \(uid 0\)/);
  });

  it('refuses to start per-user accounts without setpriv', async () => {
    const defaults = await loadConfig({});
    const out = capture();
    expect(() => {
      announceAccountMode(defaults, { ...ROOT, setprivPath: undefined }, out.log, out.stderr);
    }).toThrow(/setpriv.*Winrmd.RunAsServiceAccount=true/);
  });
});

describe('currentProcessFacts', () => {
  it("reads this process's uid and finds setpriv", () => {
    const facts = currentProcessFacts();
    expect(facts.uid).toBe(process.getuid?.());
    expect(facts.setprivPath).toMatch(/\/setpriv$/);
  });
});
