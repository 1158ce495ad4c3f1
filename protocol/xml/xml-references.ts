import { isXmlChar } from './xml-chars.js';
import { ProtocolError } from '../protocol-error.js';

// A Map, not an object literal: `&constructor;` must not find Object.prototype's member.
const PREDEFINED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

const REFERENCE = /&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9._-]*);|&/g;

/**
 * Decodes the five predefined entities and character references; anything else is malformed, as
 * no document may declare entities of its own. Text without '&' comes back as the same string, so
 * a large base64 stream is not copied here.
 */
export function decodeReferences(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(REFERENCE, (_whole, ref: string | undefined) => {
    if (ref === undefined) throw new ProtocolError("an '&' that starts no reference");
    if (ref.startsWith('#')) {
      const codePoint = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!isXmlChar(codePoint)) throw new ProtocolError(`character reference &${ref}; is not an XML character`);
      return String.fromCodePoint(codePoint);
    }
    const named = PREDEFINED_ENTITIES.get(ref);
    if (named === undefined) throw new ProtocolError(`undeclared entity &${ref};`);
    return named;
  });
}

