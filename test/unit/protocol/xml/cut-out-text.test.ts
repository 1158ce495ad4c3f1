import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSend, sendHoldsCutOut } from '../../../../protocol/winrs/send.js';
import { faultOf } from '../winrs/helpers.js';
import { decodeWholeBase64Bytes } from '../../../../protocol/whole-base64.js';
import { cutOutStreamContent, restoreCutOut, type CutOutText } from '../../../../protocol/xml/cut-out-text.js';
import { NS } from '../../../../protocol/wsman/namespaces.js';
import { parseXml } from '../../../../protocol/xml/parse-xml.js';
import { childElement, type XmlElement } from '../../../../protocol/xml/xml-tree.js';
import { decodeSoapBody, wholeText } from '../../../../server/request-text.js';

const SHELL_NS = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell';
/** The marker the tests cut with (winrmd draws its own at random, server/request-text.ts). */
const CUT_OUT_MARKER = '!cut-out-for-tests!';

function sendEnvelope(streams: string): string {
  return (
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" ' +
    `xmlns:rsp="${SHELL_NS}"><s:Header><a:Action>${SHELL_NS}/Send</a:Action></s:Header>` +
    `<s:Body><rsp:Send>${streams}</rsp:Send></s:Body></s:Envelope>`
  );
}

/** The cut content decoded, as the dispatcher hands it on. */
function decodedOf(cutOut: CutOutText | undefined): { marker: string; data: Buffer } | undefined {
  const data = cutOut === undefined ? undefined : decodeWholeBase64Bytes(cutOut.bytes);
  return cutOut === undefined || data === undefined ? undefined : { marker: cutOut.marker, data };
}

/** The Send element of an envelope's text. */
function sendOf(text: string | undefined): XmlElement | undefined {
  return childElement(parseXml(text ?? ''), NS.soap, 'Body')?.children[0];
}

describe("a Send's stream content cut out of the request's text", () => {
  it('cuts a long Stream content out, and the parse and the Send get every byte', () => {
    const data = randomBytes(300_000);
    const body = Buffer.from(sendEnvelope(`<rsp:Stream Name="stdin" CommandId="C" End="true">${data.toString('base64')}</rsp:Stream>`));
    const cut = cutOutStreamContent(body, CUT_OUT_MARKER);
    expect(cut?.text).toContain(`>${CUT_OUT_MARKER}</rsp:Stream>`);
    expect(cut?.text.length).toBeLessThan(1000);
    const [stream] = parseSend(sendOf(cut?.text), decodedOf(cut?.cutOut));
    expect(stream?.data.equals(data)).toBe(true);
    expect(stream?.end).toBe(true);
    expect(restoreCutOut(cut?.text ?? '', cut?.cutOut)).toBe(body.toString('latin1'));
  });

  it('is what decodeSoapBody does with a large ASCII body, and wholeText puts the content back', () => {
    const data = randomBytes(300_000);
    const body = Buffer.from(sendEnvelope(`<rsp:Stream Name="stdin" CommandId="C">${data.toString('base64')}</rsp:Stream>`));
    const decoded = decodeSoapBody(body, 'application/soap+xml;charset=UTF-8');
    expect(decoded.cutOut?.bytes.length).toBe(400_000);
    expect(wholeText(decoded)).toBe(body.toString('latin1'));
  });

  it('leaves a small body, a long run outside a Stream, and a run with a character reference whole', () => {
    expect(cutOutStreamContent(Buffer.from(sendEnvelope(`<rsp:Stream Name="stdin">${'QUJD'.repeat(1000)}</rsp:Stream>`)), CUT_OUT_MARKER)).toBeUndefined();
    expect(cutOutStreamContent(Buffer.from(sendEnvelope(`<rsp:Other>${'QUJD'.repeat(100_000)}</rsp:Other>`)), CUT_OUT_MARKER)).toBeUndefined();
    expect(cutOutStreamContent(Buffer.from(sendEnvelope(`<rsp:Stream Name="stdin"/>${'x'.repeat(300_000)}`)), CUT_OUT_MARKER)).toBeUndefined();
  });

  it('leaves a run whole after a comment, a CDATA section or a processing instruction; one with markup or a line break is no whole base64', () => {
    const run = 'QUJD'.repeat(80_000);
    for (const before of ['<!-- <rsp:Stream> -->', '<![CDATA[ x ]]>', '<?pi x?>', '<?xml-x <Stream ?>']) {
      const body = sendEnvelope(`${before}<rsp:Stream Name="stdin">${run}</rsp:Stream>`);
      expect(cutOutStreamContent(Buffer.from(body), CUT_OUT_MARKER)).toBeUndefined();
    }
    expect(cutOutStreamContent(Buffer.from(`<?xml version="1.0"?>${sendEnvelope(`<rsp:Stream Name="stdin">${run}</rsp:Stream>`)}`), CUT_OUT_MARKER)).toBeDefined();
    // What the parse would read differently is cut, but is not whole base64: the dispatcher parses it whole.
    for (const inside of ['>', '\n', '\r', '&#13;', ']]>']) {
      const cut = cutOutStreamContent(Buffer.from(sendEnvelope(`<rsp:Stream Name="stdin">${run}${inside}${run}</rsp:Stream>`)), CUT_OUT_MARKER);
      expect(cut).toBeDefined();
      expect(decodedOf(cut?.cutOut)).toBeUndefined();
    }
  });

  it('is known to have landed only as the whole text of a Send\'s one rsp:Stream', () => {
    const run = 'QUJD'.repeat(80_000);
    const cases: [string, boolean][] = [
      [`<rsp:Stream Name="stdin">${run}</rsp:Stream>`, true],
      // Another namespace's Stream: rsp:Send has no rsp:Stream holding it.
      [`<f:Stream xmlns:f="urn:f">${run}</f:Stream><rsp:Stream Name="stdin">QUJD</rsp:Stream>`, false],
      // The content goes on after a comment: the Stream's text is more than the marker.
      [`<rsp:Stream Name="stdin">${run}<!---->QUJD</rsp:Stream>`, false],
    ];
    for (const [streams, holds] of cases) {
      const cut = cutOutStreamContent(Buffer.from(sendEnvelope(streams)), CUT_OUT_MARKER);
      if (cut === undefined) throw new Error('expected a cut');
      expect(sendHoldsCutOut(sendOf(cut.text), cut.cutOut)).toBe(holds);
    }
  });

  it('stands for the cut content once: a second Stream that says the marker is its own text, and not base64', () => {
    const data = randomBytes(300_000);
    const body = Buffer.from(sendEnvelope(`<rsp:Stream Name="stdin">${data.toString('base64')}</rsp:Stream><rsp:Stream Name="stdin">${CUT_OUT_MARKER}</rsp:Stream>`));
    const cut = cutOutStreamContent(body, CUT_OUT_MARKER);
    expect(faultOf(() => parseSend(sendOf(cut?.text), decodedOf(cut?.cutOut)))).toBe('schemaValidation');
  });
});
