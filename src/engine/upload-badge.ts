/** Uploading a badge image: checked by content, stored under the data directory, served at a stable URL. */
import { BADGE_CONTENT_TYPES, badgeTypeOf, type BadgeType } from '../domain/badge-image.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { randomId } from './ids.js';

/** Where uploaded badges are served; an achievement's badgeUrl can hold the URL as it is. */
export const BADGE_URL_PREFIX = '/badges/';

export interface UploadedBadge {
  id: string;
  url: string;
  type: BadgeType;
  contentType: string;
  size: number;
}

export async function uploadBadge(ctx: EngineContext, _tenant: Tenant, bytes: Uint8Array): Promise<UploadedBadge> {
  if (!ctx.badges) throw new Error('This Laurel has no badge storage configured');
  const type = badgeTypeOf(bytes);
  const id = randomId();
  const fileName = `${id}.${type}`;
  await ctx.badges.save(fileName, bytes);
  ctx.log.info({ badge: fileName, size: bytes.length }, 'Badge uploaded');
  return { id, url: `${BADGE_URL_PREFIX}${fileName}`, type, contentType: BADGE_CONTENT_TYPES[type], size: bytes.length };
}
