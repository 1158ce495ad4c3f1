import { describe, expect, it } from 'vitest';
import { translationFor, type FaultTranslations } from '../../../../protocol/wsman/fault-language.js';

// winrmd ships en-US only, so the lookup is exercised with a table of its own here.
const GERMAN: FaultTranslations = { 'de-DE': { accessDenied: { message: 'Zugriff verweigert. ' } } };

describe('translationFor', () => {
  it('finds a translation by language tag in any case, and names the language as the table spells it', () => {
    for (const locale of ['de-DE', 'DE-de']) {
      expect(translationFor('accessDenied', locale, GERMAN)).toEqual({ lang: 'de-DE', texts: { message: 'Zugriff verweigert. ' } });
    }
  });

  it('falls back to en-US for a fault the language has no text for, another language, or no locale', () => {
    expect(translationFor('timedOut', 'de-DE', GERMAN)).toEqual({ lang: 'en-US', texts: undefined });
    expect(translationFor('accessDenied', 'fr-FR', GERMAN)).toEqual({ lang: 'en-US', texts: undefined });
    expect(translationFor('accessDenied', undefined, GERMAN)).toEqual({ lang: 'en-US', texts: undefined });
  });

  it('has no translations of its own yet: every language gets en-US', () => {
    expect(translationFor('accessDenied', 'de-DE')).toEqual({ lang: 'en-US', texts: undefined });
  });
});
