/**
 * The HTTP limit: Fastify (the same version as Laurel) answering constant JSON on Laurel's paths,
 * with no key check, no validation and no database. The bodies are real Laurel responses captured
 * by the harness, so the limit serialises as many bytes as Laurel does.
 *
 *   node --import tsx bench/constant-server.ts <bodies.json>
 */
import fs from 'node:fs';
import Fastify from 'fastify';

const bodies = JSON.parse(fs.readFileSync(process.argv[2] as string, 'utf8')) as { event: unknown; batch: unknown; reads: unknown };
const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
app.post('/v1/metrics/:key/event', async (_request, reply) => reply.status(201).send(bodies.event));
app.post('/v1/events', async () => bodies.batch);
app.get('/v1/users/:id/achievements', async () => bodies.reads);
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`Constant JSON server listening on ${address}\n`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
