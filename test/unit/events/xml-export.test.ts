/** The XML export is Windows' event schema: parsed back, it has the System and EventData Windows tools read. */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { EVENT_NS, eventsDocument, eventXml, systemTime } from '../../../events/xml-export.js';
import { peer, recorderHarness } from './recorder-harness.js';

function sample(): ReturnType<typeof recorderHarness>['records'] {
  const { recorder, records } = recorderHarness();
  recorder.notify({ kind: 'logon-succeeded', peer: peer('0f8fad5b-d9cb-469f-a165-70867728950e'), user: 'alice', clientDomain: '', scheme: 'Basic', mechanism: 'Basic', handshakeMs: 1 });
  recorder.notify({
    kind: 'command-started', connectionId: '0f8fad5b-d9cb-469f-a165-70867728950e', user: 'alice', shellId: 'S1', commandId: 'C1', pid: 5,
    program: '/bin/sh', commandLine: 'echo "<a & b>" \u0001',
  });
  return records;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => name === 'Event' || name === 'Data' });

describe('Windows event XML', () => {
  it('writes System, EventData and our fields apart', () => {
    const [logon] = sample();
    if (logon === undefined) throw new Error('no record');
    const parsed = parser.parse(eventXml(logon)) as { Event: { '@xmlns': string; System: Record<string, unknown>; EventData: { Data: { '@Name': string; '#text'?: string }[] }; Winrmd: Record<string, string> }[] };
    const event = parsed.Event[0];
    expect(event?.['@xmlns']).toBe(EVENT_NS);
    expect(event?.System).toMatchObject({
      Provider: { '@Name': 'Microsoft-Windows-Security-Auditing', '@Guid': '{54849625-5478-4994-A5BA-3E3B0328C30D}' },
      EventID: '4624', Version: '2', Level: '0', Task: '12544', Keywords: '0x8020000000000000',
      TimeCreated: { '@SystemTime': '2024-05-01T12:00:00.1230000Z' },
      Correlation: { '@ActivityID': '{0F8FAD5B-D9CB-469F-A165-70867728950E}' },
      Channel: 'Security', Computer: 'lab.example.test',
    });
    const data = Object.fromEntries((event?.EventData.Data ?? []).map((d) => [d['@Name'], d['#text'] ?? '']));
    expect(data).toMatchObject({ TargetUserName: 'alice', LogonType: '8', AuthenticationPackageName: 'MICROSOFT_AUTHENTICATION_PACKAGE_V1_0' });
    // Values keep their blanks (the parser above trims them): Windows pads the logon process name.
    expect(eventXml(logon)).toContain('<Data Name="LogonProcessName">Advapi  </Data>');
    expect(event?.Winrmd).toMatchObject({ ConnectionId: '0f8fad5b-d9cb-469f-a165-70867728950e' });
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    const records = sample();
    const text = eventsDocument(records);
    expect(text).toContain('echo "&lt;a &amp; b&gt;" ');
    expect(text).not.toContain('\u0001');
    const parsed = parser.parse(text) as { Events: { Event: unknown[] } };
    expect(parsed.Events.Event).toHaveLength(3);
    expect(text.startsWith('<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<Events>')).toBe(true);
  });

  it('writes times with Windows\' seven decimal places', () => {
    expect(systemTime('2024-05-01T12:00:00.123Z')).toBe('2024-05-01T12:00:00.1230000Z');
    expect(systemTime('2024-05-01T12:00:00Z')).toBe('2024-05-01T12:00:00.0000000Z');
  });
});
