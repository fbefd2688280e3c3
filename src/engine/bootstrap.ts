/** First start: the default organisation and community, and an admin key to reach them. */
import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import { createApiKey } from './api-keys.js';
import type { Clock } from './clock.js';

export const DEFAULT_TENANT: Tenant = { orgId: 'default', communityId: 'default' };
export const MASTER_KEY_FILE = 'master.key';

export interface BootstrapResult {
  /** Where a generated master key was written, when this start generated one. */
  generatedKeyFile: string | null;
  /** Where an earlier start wrote the master key, if the file is still there. */
  existingKeyFile: string | null;
}

export async function bootstrap(
  store: Store,
  clock: Clock,
  options: { dataDir: string; generateMasterKey: boolean },
): Promise<BootstrapResult> {
  const now = clock.now();
  const file = path.join(options.dataDir, MASTER_KEY_FILE);
  return store.transaction(async (tx) => {
    await tx.communities.lockBootstrap();
    await tx.communities.ensure(
      { id: DEFAULT_TENANT.orgId, name: 'Default organisation' },
      { id: DEFAULT_TENANT.communityId, key: 'default', name: 'Default community' },
      now,
    );
    if (!options.generateMasterKey || (await tx.apiKeys.countActiveAdminKeys(DEFAULT_TENANT)) > 0) {
      return { generatedKeyFile: null, existingKeyFile: fs.existsSync(file) ? file : null };
    }
    const created = await createApiKey(tx, DEFAULT_TENANT, { name: 'master', kind: 'admin' }, now);
    fs.mkdirSync(options.dataDir, { recursive: true });
    fs.writeFileSync(file, `${created.key}\n`, { mode: 0o600 });
    return { generatedKeyFile: file, existingKeyFile: null };
  });
}
