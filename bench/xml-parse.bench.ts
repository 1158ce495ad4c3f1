/**
 * Parsing the request envelopes on the hot path: the hand-written parser (protocol/xml) against
 * the fast-xml-parser pipeline it replaced (validator, ordered parse, namespace resolution; kept
 * verbatim in support/fast-xml-parser-baseline.ts), on the same strings in the same run.
 * Envelopes come from the dispatcher tests' builders, in pywinrm's shape.
 */
import { describe } from 'vitest';
import { parseXml } from '../protocol/xml/parse-xml.js';
import { decodeSoapBody } from '../server/request-text.js';
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

/**
 * A request's way from bytes to a parsed tree (server/request-text.ts): the strict UTF-8 decoder
 * and the parser's pattern test over the text (before), against the byte scan for the control
 * characters XML forbids and the ASCII text taken as it is (now), on the same 500 KB Send.
 */
const sendBody = Buffer.from(ENVELOPES[ENVELOPES.length - 1]?.[1] ?? '');
describe(`Request bytes to tree: Send, ${sendBody.length} bytes`, () => {
  const options = { time: 1500, warmupTime: 300 };
  benchWith('decode UTF-8, test the text for forbidden characters, parse (before)', () => {
    consume(parseXml(new TextDecoder('utf-8', { fatal: true }).decode(sendBody)));
  }, options, { baseline: true, bytesPerOp: sendBody.length, unit: 'XML' });
  // Since the sixteenth run, "now" also cuts the Send's base64 out of the text (its decoding from
  // the bytes comes later, in parseSend): the row measures the request's way, not the same parse.
  benchWith('scan the bytes, take ASCII as text, parse without the test (now)', () => {
    const decoded = decodeSoapBody(sendBody, 'application/soap+xml;charset=UTF-8');
    consume(parseXml(decoded.text, { charactersChecked: decoded.charactersChecked }));
  }, options, { baseline: false, bytesPerOp: sendBody.length, unit: 'XML' });
});
