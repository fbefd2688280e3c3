import type { Kysely } from 'kysely';
import { columnTypes, type Dialect } from '../dialect.js';

/**
 * Member widgets: each community's secret for signing widget tokens, made when the first token is
 * minted and replaced by a rotation (which is what refuses every token signed before).
 */
export function widgetSecretsSchema(dialect: Dialect) {
  const { millis } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('widget_secrets')
        .addColumn('community_id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('rotated_at', millis, (c) => c.notNull())
        .execute();
    },
  };
}
