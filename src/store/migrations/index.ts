import type { Migration, MigrationProvider } from 'kysely';
import type { Dialect } from '../dialect.js';
import { initialSchema } from './0001_initial.js';
import { timeSchema } from './0002_time.js';
import { jobsSchema } from './0003_jobs.js';
import { trophySchema } from './0004_trophy.js';
import { hotUpdatesSchema } from './0005_hot_updates.js';
import { userCountsSchema } from './0006_user_counts.js';
import { idempotencyFingerprintsSchema } from './0007_idempotency_fingerprints.js';
import { outboxSchema } from './0008_outbox.js';
import { celebrationsSchema } from './0009_celebrations.js';
import { emailsSchema } from './0010_emails.js';
import { endingsSchema } from './0011_endings.js';
import { userLocaleSchema } from './0012_user_locale.js';
import { widgetSecretsSchema } from './0013_widget_secrets.js';
import { teamsSchema } from './0014_teams.js';

/** Versioned migrations, in order. Names never change once released. */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001_initial': initialSchema(dialect),
        '0002_time': timeSchema(dialect),
        '0003_jobs': jobsSchema(dialect),
        '0004_trophy': trophySchema(dialect),
        '0005_hot_updates': hotUpdatesSchema(dialect),
        '0006_user_counts': userCountsSchema(dialect),
        '0007_idempotency_fingerprints': idempotencyFingerprintsSchema(),
        '0008_outbox': outboxSchema(dialect),
        '0009_celebrations': celebrationsSchema(dialect),
        '0010_emails': emailsSchema(dialect),
        '0011_endings': endingsSchema(dialect),
        '0012_user_locale': userLocaleSchema(),
        '0013_widget_secrets': widgetSecretsSchema(dialect),
        '0014_teams': teamsSchema(dialect),
      };
    },
  };
}
