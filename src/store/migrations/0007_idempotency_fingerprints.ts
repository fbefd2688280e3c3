import type { Kysely } from 'kysely';

/**
 * What each idempotent request said (a hash of its content), so that a key reused for a different
 * request is refused instead of answered with the first one's result. Keys stored before have none
 * and keep replaying as they did.
 */
export function idempotencyFingerprintsSchema() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('idempotency_keys').addColumn('fingerprint', 'text').execute();
    },
  };
}
