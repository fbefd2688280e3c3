/**
 * A process that claims one job of kind "held" with the real job runner and its default lease,
 * says "claimed" and then works on it forever: a test kills it to see who takes the job over.
 * Arguments: data directory, PostgreSQL URL or "", PostgreSQL schema or "".
 */
import { pino } from 'pino';
import { systemClock } from '../../src/engine/clock.js';
import { JobRunner } from '../../src/engine/jobs.js';
import { openDatabase } from '../../src/store/database.js';
import { Store } from '../../src/store/store.js';

const [dataDir, url, schema] = process.argv.slice(2) as [string, string, string];
const store = new Store(openDatabase({ dataDir, url: url || undefined, schema: schema || undefined }));
const runner = new JobRunner(store, systemClock, pino({ level: 'silent' }));
runner.register('held', async () => {
  process.stdout.write('claimed\n');
  await new Promise(() => undefined);
});
runner.start();
