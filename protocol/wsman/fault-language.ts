/**
 * The language of a fault's texts. Windows writes s:Reason (and f:Message) in the language the
 * request's w:Locale asks for when it has that language installed, and in its own otherwise
 * (DSP0226 6.3: the locale is a request, not a demand; [MS-WSMV] 3.1.4.1.8 refuses only a Locale
 * marked mustUnderstand). winrmd's catalogue is en-US; a translation is one more table below, and a
 * fault it does not translate is written in en-US, with xml:lang saying so.
 */
import type { FaultName } from './fault-catalogue.js';

export const DEFAULT_FAULT_LANGUAGE = 'en-US';

export interface TranslatedTexts {
  readonly message: string;
  readonly reason?: string;
}

/** Translations by language tag (as written in xml:lang), then by fault. */
export type FaultTranslations = Readonly<Record<string, Partial<Record<FaultName, TranslatedTexts>>>>;

/** The translations winrmd has. Empty: en-US only. */
const TRANSLATIONS: FaultTranslations = {};

/** The language and texts for `fault` when the client asked for `locale`. */
export function translationFor(
  fault: FaultName,
  locale: string | undefined,
  translations: FaultTranslations = TRANSLATIONS,
): { readonly lang: string; readonly texts: TranslatedTexts | undefined } {
  if (locale !== undefined) {
    const wanted = locale.toLowerCase();
    for (const [lang, table] of Object.entries(translations)) {
      const texts = table[fault];
      if (lang.toLowerCase() === wanted && texts !== undefined) return { lang, texts };
    }
  }
  return { lang: DEFAULT_FAULT_LANGUAGE, texts: undefined };
}
