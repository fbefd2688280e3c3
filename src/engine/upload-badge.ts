/** Uploading a badge image: rebuilt from its content, stored in the community's own directory, served at a stable URL. */
import type { UploadedBadge } from '../api/schemas/badge-view.js';
import { BADGE_CONTENT_TYPES } from '../domain/badge-image.js';
import { type BadgeOwner, badgeUrlOf } from '../domain/badge-url.js';
import type { Tenant } from '../store/tenant.js';
import { rebuildBadge } from './badge-rebuild.js';
import { DEFAULT_TENANT } from './bootstrap.js';
import type { EngineContext } from './context.js';
import { randomId } from './ids.js';

export async function uploadBadge(ctx: EngineContext, tenant: Tenant, upload: Uint8Array): Promise<UploadedBadge> {
  if (!ctx.badges) throw new Error('This Laurel has no badge storage configured');
  const { type, bytes } = await rebuildBadge(upload);
  const id = randomId();
  const fileName = `${id}.${type}`;
  await ctx.badges.save(tenant.communityId, fileName, bytes);
  ctx.log.info({ badge: fileName, community: tenant.communityId, uploaded: upload.length, stored: bytes.length }, 'Badge uploaded');
  return { id, url: badgeUrlOf(tenant.communityId, fileName), type, contentType: BADGE_CONTENT_TYPES[type], size: bytes.length };
}

/** What badge URLs a community may use: its own uploads, and (the default community) those from before per-community storage. */
export function badgeOwnerOf(tenant: Tenant): BadgeOwner {
  return { communityId: tenant.communityId, ownsUnscopedFiles: tenant.communityId === DEFAULT_TENANT.communityId };
}
