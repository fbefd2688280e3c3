import { type Kysely, sql } from 'kysely';
import type { Community, CommunitySettings } from '../../domain/community.js';
import { DEFAULT_SETTINGS } from '../../domain/community.js';
import type { Dialect } from '../dialect.js';
import { parseJson } from '../mappers.js';
import type { DB } from '../schema.js';

/** An arbitrary, fixed advisory-lock number for bootstrap. */
const BOOTSTRAP_LOCK = 7_362_001;

export class CommunitiesRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Serialises first-start work (default tenant, master key) between processes starting together
   * on one PostgreSQL database; SQLite has a single writer anyway.
   */
  async lockBootstrap(): Promise<void> {
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`.execute(this.db);
  }

  /** Creates the organisation and community unless they exist. */
  async ensure(org: { id: string; name: string }, community: { id: string; key: string; name: string }, now: number): Promise<void> {
    await this.db
      .insertInto('organisations')
      .values({ id: org.id, name: org.name, created_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    await this.db
      .insertInto('communities')
      .values({
        id: community.id,
        org_id: org.id,
        key: community.key,
        name: community.name,
        settings: JSON.stringify(DEFAULT_SETTINGS),
        created_at: now,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async get(communityId: string): Promise<Community | undefined> {
    const row = await this.db.selectFrom('communities').selectAll().where('id', '=', communityId).executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      orgId: row.org_id,
      key: row.key,
      name: row.name,
      settings: { ...DEFAULT_SETTINGS, ...parseJson<Partial<CommunitySettings>>(row.settings, {}) },
      configVersion: row.config_version,
    };
  }

  /** Every community, as the tenant that owns its data. */
  async tenants(): Promise<{ orgId: string; communityId: string }[]> {
    const rows = await this.db.selectFrom('communities').select(['id', 'org_id']).orderBy('id').execute();
    return rows.map((r) => ({ orgId: r.org_id, communityId: r.id }));
  }

  async configVersion(communityId: string): Promise<number> {
    const row = await this.db.selectFrom('communities').select('config_version').where('id', '=', communityId).executeTakeFirstOrThrow();
    return row.config_version;
  }

  /** Every process caching this community's rules reloads them on its next request. */
  async bumpConfigVersion(communityId: string): Promise<void> {
    await this.db.updateTable('communities').set({ config_version: sql`config_version + 1` }).where('id', '=', communityId).execute();
  }

  /** Every community's widget origins (the CORS allow-list of its member widgets), where it has any. */
  async widgetOrigins(): Promise<{ orgId: string; communityId: string; origins: string[] }[]> {
    const rows = await this.db.selectFrom('communities').select(['id', 'org_id', 'settings']).orderBy('id').execute();
    return rows.flatMap((r) => {
      const origins = parseJson<Partial<CommunitySettings>>(r.settings, {}).widgetOrigins;
      return Array.isArray(origins) && origins.length > 0 ? [{ orgId: r.org_id, communityId: r.id, origins }] : [];
    });
  }

  async saveSettings(communityId: string, settings: CommunitySettings): Promise<void> {
    await this.db
      .updateTable('communities')
      .set({ settings: JSON.stringify(settings), config_version: sql`config_version + 1` })
      .where('id', '=', communityId)
      .execute();
  }
}
