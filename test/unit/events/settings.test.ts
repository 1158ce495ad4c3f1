/** Winrmd.Events.* are checked when the configuration is used, and mistakes name the setting. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../config/config-error.js';
import { loadConfig } from '../../../config/load.js';
import { eventSettingsFrom, eventsFilePath } from '../../../events/settings.js';

async function settings(...sets: string[]): ReturnType<typeof loadConfig> {
  return loadConfig({ sets, overrides: {} });
}

describe('event settings', () => {
  it('put the events file in the state directory unless it is absolute, and can turn it off', async () => {
    expect(eventsFilePath(await settings(), '/var/lib/winrmd')).toBe('/var/lib/winrmd/events.jsonl');
    expect(eventsFilePath(await settings('Winrmd.Events.File=/var/log/winrmd.jsonl'), '/s')).toBe('/var/log/winrmd.jsonl');
    expect(eventsFilePath(await settings('Winrmd.Events.File='), '/s')).toBeUndefined();
    expect(eventSettingsFrom(await settings('Winrmd.Events.MaxFileSizekb=2', 'Winrmd.Events.MaxFiles=3'), '/s').file).toEqual({ path: '/s/events.jsonl', maxBytes: 2048, maxFiles: 3 });
  });

  it('read the syslog target and the extra redaction patterns', async () => {
    const read = eventSettingsFrom(await settings('Winrmd.Events.Syslog=udp://127.0.0.1:514', 'Winrmd.Events.RedactPatterns=["pin=(?<secret>\\\\d+)"]'), '/s');
    expect(read.syslog).toEqual({ kind: 'udp', host: '127.0.0.1', port: 514 });
    expect(read.redactor.redact('x pin=1234')).toBe('x pin=[redacted]');
  });

  it.each([
    ['Winrmd.Events.Syslog=loghost', /Winrmd\.Events\.Syslog/],
    ['Winrmd.Events.RedactPatterns=["("]', /Winrmd\.Events\.RedactPatterns: '\(' is not a valid regular expression/],
    ['Winrmd.Events.RedactPatterns=[1]', /list of regular expressions/],
    ['Winrmd.Events.MaxFiles=0', /at least 1/],
  ])('refuse %s', async (set, message) => {
    const config = await settings(set);
    expect(() => eventSettingsFrom(config, '/s')).toThrow(ConfigError);
    expect(() => eventSettingsFrom(config, '/s')).toThrow(message);
  });
});
