/**
 * The limit of single events over HTTP: a minimal Fastify route doing the driver limit's two-row
 * write per event (bench/lib/two-row-write.ts), grouped by Laurel's own group commit with Laurel's
 * group size and number of transactions at once, and answering the event body Laurel answered
 * (captured by the harness) as a constant. No key check, no validation, no rules: what a server
 * doing the same I/O as the driver limit can answer.
 *
 *   node --import tsx bench/two-row-server.ts '<database json>' <bodies.json>
 */
import fs from 'node:fs';
import Fastify from 'fastify';
import { GroupCommit, type Settled } from '../src/engine/group-commit.js';
import { MAX_BATCH } from '../src/engine/ingest/ingest-events.js';
import { type Dialect, writersAtOnce } from '../src/store/dialect.js';
import type { BenchEvent } from './lib/community.js';
import { openTwoRowWriter } from './lib/two-row-write.js';

const db = JSON.parse(process.argv[2] as string) as { dialect: Dialect; dataDir: string; url: string | undefined };
const { event } = JSON.parse(fs.readFileSync(process.argv[3] as string, 'utf8')) as { event: unknown };
const concurrency = writersAtOnce(db.dialect);
const writer = await openTwoRowWriter(db, concurrency);
const written: Settled<void> = { ok: true, value: undefined };
const queue = new GroupCommit<BenchEvent, void>({
  maxSize: MAX_BATCH,
  concurrency,
  commit: async (events) => {
    await writer.write(events);
    return events.map(() => written);
  },
});

const app = Fastify({ logger: false });
app.post<{ Params: { key: string }; Body: Omit<BenchEvent, 'metric'> }>('/v1/metrics/:key/event', async (request, reply) => {
  await queue.submit('default', { metric: request.params.key, user: request.body.user, value: request.body.value }, 1);
  return reply.status(201).send(event);
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`Two-row route listening on ${address}\n`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void app
      .close()
      .then(() => writer.close())
      .then(() => process.exit(0));
  });
}
