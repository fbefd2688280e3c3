/**
 * Which badge URLs an achievement, tier, points system or level may hold. Clients put them in
 * `<img src>` (and some in links), so only what loads an image is allowed: `https:` anywhere,
 * `http:` on the loopback only (development), and paths on this Laurel. A path under /badges/ must
 * be the community's own: one community cannot show another's uploaded file as its badge.
 */
import { invalid } from './errors.js';

/** Where uploaded badges are served: `/badges/<community id>/<file>`. */
export const BADGE_URL_PREFIX = '/badges/';

/** A community id usable as one path segment (the default community's is "default"). */
const COMMUNITY_SEGMENT = /^[A-Za-z0-9_-]{1,100}$/;

export interface BadgeOwner {
  communityId: string;
  /** Files uploaded before badges were stored per community sit at /badges/<file>; they belong to the default community. */
  ownsUnscopedFiles: boolean;
}

export function badgeDirectoryOf(communityId: string): string {
  if (!COMMUNITY_SEGMENT.test(communityId)) throw new Error(`Community id "${communityId}" cannot name a badge directory`);
  return communityId;
}

export function badgeUrlOf(communityId: string, fileName: string): string {
  return `${BADGE_URL_PREFIX}${badgeDirectoryOf(communityId)}/${fileName}`;
}

/** Throws a 422 naming `field` unless `url` is a badge URL `owner` may use. */
export function assertBadgeUrl(url: string, field: string, owner: BadgeOwner): void {
  const refuse = (why: string) => invalid('invalid_badge_url', `${field} ${why}`, field);
  // Control characters, spaces and backslashes are stripped or reinterpreted by URL parsers; none belongs in a badge URL.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses.
  if (/[\u0000-\u0020\u007f\\]/.test(url)) throw refuse('may not contain spaces, control characters or backslashes');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw refuse('is not a valid URL');
    }
    if (parsed.username !== '' || parsed.password !== '') throw refuse('may not carry a user name or password');
    if (scheme === 'https') return;
    if (scheme === 'http' && isLoopback(parsed.hostname)) return;
    throw refuse('must be an https: URL (http: only on localhost) or a path on this server');
  }
  if (url.startsWith('//')) throw refuse('must name its scheme (https:) when it names a host');
  // Resolved as a browser would (dot segments, %2e), so "/x/../badges/other/…" is judged as what it reaches.
  const path = new URL(url, 'http://laurel.invalid/').pathname;
  if (!path.startsWith(BADGE_URL_PREFIX)) return;
  const rest = path.slice(BADGE_URL_PREFIX.length);
  const own = rest.startsWith(`${owner.communityId}/`) || (owner.ownsUnscopedFiles && !rest.includes('/'));
  if (!own) throw refuse("points at another community's uploaded badge");
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** assertBadgeUrl for each URL given (absent ones skipped), paired with the field that holds it. */
export function assertBadgeUrls(urls: readonly (readonly [string | null | undefined, string])[], owner: BadgeOwner): void {
  for (const [url, field] of urls) if (url !== null && url !== undefined) assertBadgeUrl(url, field, owner);
}
