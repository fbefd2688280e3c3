import { de } from './locales/de.js';
import { en } from './locales/en.js';
import { fr } from './locales/fr.js';
import type { Messages } from './locales/messages.js';

export const LOCALES = { en, de, fr } as const satisfies Record<string, Messages>;
export type Locale = keyof typeof LOCALES;
export const DEFAULT_LOCALE: Locale = 'en';
export const SUPPORTED_LOCALES = Object.keys(LOCALES) as Locale[];

export function isLocale(value: string): value is Locale {
  return Object.hasOwn(LOCALES, value);
}

/** The supported language of a BCP 47 tag ("de-CH" → "de"), or the default for none or another. */
export function localeOfTag(tag: string | null): Locale {
  const language = tag?.split('-')[0]?.toLowerCase() ?? '';
  return isLocale(language) ? language : DEFAULT_LOCALE;
}

/** A translated field: the locale's version when there is one, else the original. */
export function translated<T extends Partial<Record<K, string>>, K extends string>(
  original: string,
  translations: Readonly<Record<string, T>> | undefined,
  locale: Locale,
  field: K,
): string {
  const value = translations?.[locale]?.[field];
  return typeof value === 'string' && value !== '' ? value : original;
}
