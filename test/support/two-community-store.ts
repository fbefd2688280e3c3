/**
 * A migrated store of one dialect in its own directory (and PostgreSQL schema) holding two
 * communities, c1 and c2 of org "org", for store contract tests.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateToLatest, openDatabase } from '../../src/store/database.js';
import type { Dialect } from '../../src/store/dialect.js';
import { Store } from '../../src/store/store.js';
import type { Tenant } from '../../src/store/tenant.js';
import { createSchema, POSTGRES_URL } from './dialects.js';

export const c1: Tenant = { orgId: 'org', communityId: 'c1' };
export const c2: Tenant = { orgId: 'org', communityId: 'c2' };

export async function openTwoCommunityStore(dialect: Dialect, prefix: string): Promise<{ store: Store; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const schema = dialect === 'postgres' ? await createSchema() : null;
  const store = new Store(openDatabase({ dataDir: dir, url: schema ? POSTGRES_URL : undefined, schema: schema?.name }));
  await migrateToLatest(store.database);
  await store.transaction(async (tx) => {
    await tx.communities.ensure({ id: 'org', name: 'Org' }, { id: 'c1', key: 'c1', name: 'One' }, 0);
    await tx.communities.ensure({ id: 'org', name: 'Org' }, { id: 'c2', key: 'c2', name: 'Two' }, 0);
  });
  return {
    store,
    close: async () => {
      await store.close();
      await schema?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
