/** Community settings. */
import type { Settings } from '../api/schemas/admin-settings.js';
import { patchSettings, type SettingsPatch } from '../domain/community.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';

export async function getSettings(ctx: EngineContext, tenant: Tenant): Promise<Settings> {
  return (await ctx.config.get(ctx.store.read, tenant)).community.settings;
}

export async function updateSettings(ctx: EngineContext, tenant: Tenant, patch: SettingsPatch): Promise<Settings> {
  return ctx.store.transaction(async (tx) => {
    const community = await tx.communities.get(tenant.communityId);
    if (!community) throw new Error(`Community ${tenant.communityId} does not exist`);
    const settings = patchSettings(community.settings, patch);
    await tx.communities.saveSettings(tenant.communityId, settings);
    return settings;
  });
}
