/** Community settings. */
import type { Settings } from '../api/schemas/admin-settings.js';
import { patchSettings, type SettingsPatch } from '../domain/community.js';
import { canonicalOrigins } from '../domain/widget-origin.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';

export async function getSettings(ctx: EngineContext, tenant: Tenant): Promise<Settings> {
  return (await ctx.config.get(ctx.store.read, tenant)).community.settings;
}

export async function updateSettings(ctx: EngineContext, tenant: Tenant, patch: SettingsPatch): Promise<Settings> {
  const checked = patch.widgetOrigins ? { ...patch, widgetOrigins: canonicalOrigins(patch.widgetOrigins, 'widgetOrigins') } : patch;
  const settings = await ctx.store.transaction(async (tx) => {
    const community = await tx.communities.get(tenant.communityId);
    if (!community) throw new Error(`Community ${tenant.communityId} does not exist`);
    const settings = patchSettings(community.settings, checked);
    await tx.communities.saveSettings(tenant.communityId, settings);
    return settings;
  });
  // This process allows a new origin at once; the others within their cache's age.
  ctx.widgetOrigins.forget();
  return settings;
}
