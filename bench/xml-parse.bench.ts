/**
 * Parsing the request envelopes on the hot path: the hand-written parser (protocol/xml) against
 * the fast-xml-parser pipeline it replaced (validator, ordered parse, namespace resolution; kept
 * verbatim in support/fast-xml-parser-baseline.ts), on the same strings in the same run.
 * Envelopes come from the dispatcher tests' builders, in pywinrm's shape.
 */
import { describe } from 'vitest';
import { parseXml } from '../protocol/xml/parse-xml.js';
import type { XmlElement } from '../protocol/xml/xml-tree.js';
import { command, identify, receive, send } from '../test/unit/server/envelopes.js';
import { benchWith } from './support/bench-with.js';
import { parseXmlWithFastXmlParser } from './support/fast-xml-parser-baseline.js';

const SEND_BYTES = 500_000;
const stdin = Buffer.alloc(SEND_BYTES);
for (let i = 0; i < stdin.length; i++) stdin[i] = (i * 31 + 7) & 0xff;

const ENVELOPES: readonly (readonly [label: string, xml: string])[] = [
  ['Identify', identify().xml],
  ['Receive', receive('2D6534D0-6B12-40E3-B773-CBA26459CFA8', '1A3DF3C5-8E2B-4A7C-9D11-0F2E3D4C5B6A').xml],
  ['Command', command('2D6534D0-6B12-40E3-B773-CBA26459CFA8', 'powershell -NoProfile -EncodedCommand', ['JABzACAAPQAgACcAaABlAGwAbABvACcA']).xml],
  [`Send with ${SEND_BYTES / 1000} KB of stdin (base64)`, send('2D6534D0-6B12-40E3-B773-CBA26459CFA8', '1A3DF3C5-8E2B-4A7C-9D11-0F2E3D4C5B6A', stdin, false).xml],
];

/** Touches the result so that the work cannot be optimised away. */
function consume(root: XmlElement): void {
  if (root.children.length === 0) throw new Error('no header or body');
}

for (const [label, xml] of ENVELOPES) {
  const size = Buffer.byteLength(xml);
  const options = size > 100_000 ? { time: 1500, warmupTime: 300 } : { time: 1000, warmupTime: 200 };
  describe(`XML parse: ${label}, ${size} bytes`, () => {
    benchWith('fast-xml-parser: validate, parse, resolve namespaces (before)', () => {
        consume(parseXmlWithFastXmlParser(xml));
      }, options, {
      baseline: true,
      bytesPerOp: size,
      unit: 'XML',
    });
    benchWith('hand-written one-pass parser (now)', () => {
      consume(parseXml(xml));
    }, options, { baseline: false, bytesPerOp: size, unit: 'XML' });
  });
}
