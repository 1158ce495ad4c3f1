import { describe, expect, it } from 'vitest';
import { clixmlErrorStream, encodeClixmlString } from '../../../../shell/command-mapping/clixml.js';
import { notRecognizedMessage } from '../../../../shell/command-mapping/not-recognized.js';
import { parseXml } from '../../../../protocol/xml/parse-xml.js';

const PS_NS = 'http://schemas.microsoft.com/powershell/2004/04';

/** What pywinrm's _clean_error_msg does: drop the first line, join the S texts, decode CRLF. */
function cleanLikePywinrm(stderr: string): string {
  expect(stderr.startsWith('#< CLIXML\r\n')).toBe(true);
  const root = parseXml(stderr.slice(11));
  expect([root.ns, root.name]).toEqual([PS_NS, 'Objs']);
  return root.children
    .filter((c) => c.name === 'S')
    .map((s) => s.text.replaceAll('_x000D__x000A_', '\n'))
    .join('')
    .trim();
}

describe('clixmlErrorStream', () => {
  it("writes cmd's not-recognized text the way PowerShell writes an error stream", () => {
    expect(clixmlErrorStream(notRecognizedMessage('powershell'))).toBe(
      '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">' +
        '<S S="Error">\'powershell\' is not recognized as an internal or external command,_x000D__x000A_</S>' +
        '<S S="Error">operable program or batch file._x000D__x000A_</S></Objs>',
    );
  });

  it('reads back, as pywinrm reads it, to the message', () => {
    const stderr = clixmlErrorStream(notRecognizedMessage('C:\\x\\<powershell>.exe'));
    expect(cleanLikePywinrm(stderr)).toBe("'C:\\x\\<powershell>.exe' is not recognized as an internal or external command,\noperable program or batch file.");
    expect(parseXml(stderr.slice(11)).children.every((s) => s.attributes.some((a) => a.name === 'S' && a.value === 'Error'))).toBe(true);
  });
});

describe('encodeClixmlString', () => {
  it.each([
    ['a\tb', 'a_x0009_b'],
    ['a & <b>', 'a &amp; &lt;b&gt;'],
    ['_x000D_ literally', '_x005F_x000D_ literally'],
    ['snake_case_x', 'snake_case_x'],
  ])('%j', (text, encoded) => {
    expect(encodeClixmlString(text)).toBe(encoded);
  });
});
