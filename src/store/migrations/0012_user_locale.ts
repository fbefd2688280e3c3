import type { Kysely } from 'kysely';

/** A member's language (a BCP 47 tag, as the app sent it): what emails to them are written in. */
export function userLocaleSchema() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('users').addColumn('locale', 'text').execute();
    },
  };
}
