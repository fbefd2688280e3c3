/** Users for SQLite transactions: one prepared statement per row (see SqliteStatements for why). */
import type { Kysely } from 'kysely';
import type { User } from '../../domain/user.js';
import { toUser, userColumns } from '../mappers.js';
import type { DB, UserRow } from '../schema.js';
import type { Tenant } from '../tenant.js';
import type { SqliteStatements } from './sqlite-statements.js';
import { countShard, UsersRepository } from './users.js';

export class SqliteUsersRepository extends UsersRepository {
  constructor(
    db: Kysely<DB>,
    private readonly statements: SqliteStatements,
  ) {
    super(db, 'sqlite');
  }

  override async findMany(tenant: Tenant, ids: readonly string[]): Promise<Map<string, User>> {
    const out = new Map<string, User>();
    for (const id of ids) {
      const row = this.statements.get<UserRow>('select * from users where community_id = ? and id = ?', [tenant.communityId, id]);
      if (row) out.set(id, toUser(row));
    }
    return out;
  }

  override async save(tenant: Tenant, created: readonly User[], updated: readonly User[]): Promise<void> {
    for (const u of created) {
      const c = userColumns(u);
      this.statements.run(
        `insert into users (org_id, community_id, id, name, email, tz, attributes, subscribe_to_emails, device_tokens, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          tenant.orgId,
          tenant.communityId,
          c.id,
          c.name,
          c.email,
          c.tz,
          c.attributes,
          c.subscribe_to_emails,
          c.device_tokens,
          c.created_at,
          c.updated_at,
        ],
      );
    }
    if (created.length > 0) {
      this.statements.run(
        `insert into community_user_counts (community_id, shard, users) values (?, ?, ?)
         on conflict (community_id, shard) do update set users = community_user_counts.users + excluded.users`,
        [tenant.communityId, countShard(created), created.length],
      );
    }
    for (const u of updated) {
      const c = userColumns(u);
      this.statements.run(
        `update users set name = ?, email = ?, tz = ?, attributes = ?, subscribe_to_emails = ?, device_tokens = ?, updated_at = ?
         where community_id = ? and id = ?`,
        [c.name, c.email, c.tz, c.attributes, c.subscribe_to_emails, c.device_tokens, c.updated_at, tenant.communityId, c.id],
      );
    }
  }
}
