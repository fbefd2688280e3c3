import { IANAZone } from 'luxon';
import { invalid } from './errors.js';

export interface User {
  id: string;
  name: string | null;
  email: string | null;
  tz: string | null;
  attributes: Record<string, string>;
  subscribeToEmails: boolean;
  /** The member's language, a canonical BCP 47 tag ("de", "fr-CA"); null: none given. */
  locale: string | null;
  deviceTokens: string[] | null;
  createdAt: number;
  updatedAt: number;
}

/** The longest user id, in characters: the same limit in bodies, paths and the router. */
export const USER_ID_MAX_LENGTH = 255;

/** What a request may say about a user; absent fields are left as they are. */
export interface UserInput {
  id: string;
  name?: string | null;
  email?: string | null;
  tz?: string | null;
  attributes?: Record<string, string>;
  subscribeToEmails?: boolean;
  locale?: string | null;
  deviceTokens?: string[] | null;
  /**
   * Keys of the teams the user is in from the change's time on (Laurel's addition): replaces the
   * current set; [] leaves every team; absent changes nothing. Memberships are kept apart from the user row.
   */
  teams?: string[];
}

/** Checks a user as sent; `at` is where the user sits in the request ("user"), or '' at the top. */
export function validateUserInput(input: UserInput, at = 'user'): void {
  const field = (name: string) => (at ? `${at}.${name}` : name);
  if (input.id.trim() === '') throw invalid('missing_user_id', 'The user id must not be empty', field('id'));
  if ([...input.id].length > USER_ID_MAX_LENGTH) {
    throw invalid('user_id_too_long', `The user id must be at most ${USER_ID_MAX_LENGTH} characters`, field('id'));
  }
  if (input.locale !== undefined && input.locale !== null && canonicalLocale(input.locale) === null) {
    throw invalid('invalid_locale', `"${input.locale}" is not a language tag (e.g. "de" or "fr-CA")`, field('locale'));
  }
  if (input.tz !== undefined && input.tz !== null && !isZone(input.tz)) {
    throw invalid('unknown_time_zone', `"${input.tz}" is not an IANA time zone (e.g. "Europe/London")`, field('tz'));
  }
}

/** A language tag in its canonical form ("de_de" → "de-DE", as devices write them), or null if it is none. */
export function canonicalLocale(tag: string): string | null {
  try {
    return tag.length <= 35 ? (Intl.getCanonicalLocales(tag.replaceAll('_', '-'))[0] ?? null) : null;
  } catch {
    return null;
  }
}

const knownZones = new Set<string>();

/** Whether a name is an IANA time zone. Luxon builds a formatter to find out, so answers are kept. */
function isZone(name: string): boolean {
  if (knownZones.has(name)) return true;
  if (!IANAZone.isValidZone(name)) return false;
  knownZones.add(name);
  return true;
}

/**
 * The user after applying what a request said. Attributes merge key by key, so an app can send
 * only the attributes it knows about without erasing the others.
 */
export function mergeUser(existing: User | null, input: UserInput, now: number): { user: User; changed: boolean } {
  if (!existing) {
    return {
      changed: true,
      user: {
        id: input.id,
        name: input.name ?? null,
        email: input.email ?? null,
        tz: input.tz ?? null,
        attributes: { ...input.attributes },
        subscribeToEmails: input.subscribeToEmails ?? true,
        locale: input.locale ? canonicalLocale(input.locale) : null,
        deviceTokens: input.deviceTokens ?? null,
        createdAt: now,
        updatedAt: now,
      },
    };
  }
  const next: User = {
    ...existing,
    name: input.name === undefined ? existing.name : input.name,
    email: input.email === undefined ? existing.email : input.email,
    tz: input.tz === undefined ? existing.tz : input.tz,
    attributes: input.attributes ? { ...existing.attributes, ...input.attributes } : existing.attributes,
    subscribeToEmails: input.subscribeToEmails ?? existing.subscribeToEmails,
    locale: input.locale === undefined ? existing.locale : input.locale && canonicalLocale(input.locale),
    deviceTokens: input.deviceTokens === undefined ? existing.deviceTokens : input.deviceTokens,
  };
  const changed =
    next.name !== existing.name ||
    next.email !== existing.email ||
    next.tz !== existing.tz ||
    next.subscribeToEmails !== existing.subscribeToEmails ||
    next.locale !== existing.locale ||
    JSON.stringify(next.deviceTokens) !== JSON.stringify(existing.deviceTokens) ||
    !sameAttributes(next.attributes, existing.attributes);
  return { changed, user: changed ? { ...next, updatedAt: now } : existing };
}

function sameAttributes(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => a[k] === b[k]);
}
