import { describe, expect, it } from 'vitest';
import { CommandLineRedactor, MAX_COMMAND_LINE, RedactPatternError, REDACTED, TRUNCATED } from '../../../events/redact.js';

const redactor = new CommandLineRedactor();
const R = REDACTED;

describe('CommandLineRedactor', () => {
  it.each([
    ['net use \\\\srv\\c$ /user:bob --password=hunter2', `net use \\\\srv\\c$ /user:bob --password=${R}`],
    ['tool --password hunter2 --verbose', `tool --password ${R} --verbose`],
    ['New-LocalUser -Name x -Password hunter2', `New-LocalUser -Name x -Password ${R}`],
    ['Connect-Thing -Password:hunter2', `Connect-Thing -Password:${R}`],
    ["deploy --db-password 'two words'", `deploy --db-password ${R}`],
    ['cli --api-key=abc123 --token xyz', `cli --api-key=${R} --token ${R}`],
    ['sshpass -p hunter2 ssh root@host', `sshpass -p ${R} ssh root@host`],
    ['sshpass -phunter2 ssh root@host', `sshpass -p${R} ssh root@host`],
    ['mysql -u root -phunter2 db', `mysql -u root -p${R} db`],
    ['smbclient -U bob -p hunter2 //srv/share', `smbclient -U bob -p ${R} //srv/share`],
    ['tool -p hunter2 -u bob', `tool -p ${R} -u bob`],
    ['git clone https://bob:hunter2@example.test/repo.git', `git clone https://bob:${R}@example.test/repo.git`],
    ['curl -u bob:hunter2 https://example.test/', `curl -u bob:${R} https://example.test/`],
    ["curl -H 'Authorization: Bearer abc.def' https://x.test", `curl -H 'Authorization: Bearer ${R}' https://x.test`],
    ['MYSQL_PWD=hunter2 mysql db', `MYSQL_PWD=${R} mysql db`],
    ['export DB_PASSWORD="a b c"; run', `export DB_PASSWORD=${R}; run`],
    ['wget https://x.test/?token=abc123', `wget https://x.test/?token=${R}`],
    ["$p = ConvertTo-SecureString 'hunter2' -AsPlainText -Force", `$p = ConvertTo-SecureString ${R} -AsPlainText -Force`],
    ['net user alice hunter2 /add', `net user alice ${R} /add`],
    ['cmdkey /add:srv /user:bob /pass:hunter2', `cmdkey /add:srv /user:bob /pass:${R}`],
    ["echo 'bob:hunter2' | chpasswd", `echo ${R} | chpasswd`],
    ['echo hunter2 | sudo -S id', `echo ${R} | sudo -S id`],
  ])('redacts %s', (input, expected) => {
    expect(redactor.redact(input)).toBe(expected);
    expect(redactor.redact(input)).not.toContain('hunter2');
  });

  it.each([
    'mkdir -p /tmp/x && ls -la',
    'docker login --password-stdin -u bob < file',
    'echo hello world',
    'ps -p 1 -o comm=',
    'cat /etc/passwd',
  ])('leaves %s alone', (input) => {
    expect(redactor.redact(input)).toBe(input);
  });

  it('applies configured patterns, replacing their secret group or the whole match', () => {
    const custom = new CommandLineRedactor(['vault-key-\\w+', 'pin=(?<secret>\\d+)']);
    expect(custom.redact('open VAULT-KEY-abc pin=1234')).toBe(`open ${R} pin=${R}`);
  });

  it('refuses a pattern that is not a regular expression', () => {
    expect(() => new CommandLineRedactor(['('])).toThrow(RedactPatternError);
  });

  it('cuts overlong command lines at a blank before redacting, so no half secret survives', () => {
    const filler = 'x '.repeat(MAX_COMMAND_LINE / 2 - 10);
    const line = `${filler}git clone https://bob:hunter2hunter2@example.test/`;
    const redacted = redactor.redact(line);
    expect(redacted.length).toBeLessThanOrEqual(MAX_COMMAND_LINE + TRUNCATED.length);
    expect(redacted.endsWith(TRUNCATED)).toBe(true);
    expect(redacted).not.toContain('hunter2');
  });

  // A pattern that backtracks catastrophically would hang here until the test's own timeout fails it.
  it('redacts a long command line full of -p options without backtracking', () => {
    const line = `${'cmd -p x '.repeat(3000)}-u bob`;
    const redacted = redactor.redact(line);
    expect(redacted).not.toMatch(/-p x\b/);
    expect(redacted.endsWith('-u bob')).toBe(true);
  });
});
