/**
 * Scenario 7, notifications (issue 13), against the compiled server with its webhook deliverer
 * running as in production, and a receiver answering 200 at once in a process of its own:
 *   a. HTTP batch ingest (1,000-event requests) with one webhook subscribed to every event type,
 *      against the same ingest with the webhook disabled: rounds alternate between the two (after a
 *      warm-up round of each), so that the database growing through the run weighs on both alike.
 *      Each round ends once the deliverer has caught up (nothing left to fan out or deliver), so
 *      a round's successor never pays for its deliveries; how long that took is reported apart;
 *   b. drain: `drainDeliveries` undelivered events written to the outbox in one transaction, timed
 *      from its commit until the receiver has taken every one.
 */
import { cpuSecondsOf, MASTER_KEY, startLaurelServer, startWebhookReceiver } from './children.js';
import { eventSource } from './community.js';
import type { BenchDatabase, RawConnection } from './databases.js';
import { load, request } from './load.js';
import type { Sizes } from './options.js';

export interface IngestRounds {
  events: number;
  /** Sending the batches, until the last answer. */
  seconds: number;
  eventsPerSecond: number;
  /** From the first batch until the deliverer had caught up (every event fanned out and delivered). */
  sustainedSeconds: number;
  sustainedEventsPerSecond: number;
  /** CPU time of the server process over the sustained span, per 1,000 events. */
  serverCpuMsPerThousand: number;
}

export interface NotificationResults {
  /** The measured rounds of each kind, summed. */
  withWebhook: IngestRounds;
  withoutWebhook: IngestRounds;
  rounds: number;
  /** Deliveries the measured rounds with the webhook made, per event ingested. */
  deliveriesPerEvent: number;
  /** After a round with the webhook, how long until every delivery was made (mean, max). */
  catchUpSeconds: { mean: number; max: number };
  /** From the commit of `deliveries` undelivered events until the last was delivered; server CPU time meanwhile. */
  drain: { deliveries: number; seconds: number; perSecond: number; serverCpuSeconds: number };
  /** Peak RSS of the server through scenario 7. */
  serverPeakRssBytes: number;
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until every outbox event is fanned out and no delivery is pending (two counts the
 * outbox's partial index and the deliveries' status index answer); answers how long it took.
 */
async function caughtUp(raw: RawConnection): Promise<number> {
  const start = process.hrtime.bigint();
  for (;;) {
    const [left] = await raw.query<{ events: number | string; deliveries: number | string }>(
      `select (select count(*) from outbox where dispatched_at is null) as events,
              (select count(*) from webhook_deliveries where status = 'pending') as deliveries`,
    );
    if (Number(left?.events) === 0 && Number(left?.deliveries) === 0) return seconds(start);
    if (seconds(start) > 600) throw new Error(`The deliverer did not catch up in 10 minutes: ${JSON.stringify(left)}`);
    // Not more often: on two cores the harness's own queries would take CPU from the server.
    await sleep(50);
  }
}

async function deliveredCount(raw: RawConnection): Promise<number> {
  const [row] = await raw.query<{ n: number | string }>(`select count(*) as n from webhook_deliveries where status = 'delivered'`);
  return Number(row?.n);
}

export async function notifications(
  sizes: Sizes,
  db: BenchDatabase,
  raw: RawConnection,
  appKey: string,
  log: (message: string) => void,
): Promise<NotificationResults> {
  const receiver = await startWebhookReceiver();
  // No request time-out: on a busy two-core machine a batch's body, read while the server is busy
  // delivering, arrived later than the 30 s allowed twice in four runs (408), which ended the run.
  const server = await startLaurelServer({ ...db.env, LAUREL_WEBHOOK_ALLOW_PRIVATE: '1', LAUREL_REQUEST_TIMEOUT_S: '0' });
  const admin = { 'x-api-key': MASTER_KEY };
  try {
    const created = await request<{ id: string }>(server.url, 'POST', '/admin/v1/webhooks', admin, {
      url: `${receiver.url}/hook`,
      description: 'bench',
      enabled: false,
    });
    if (created.status !== 201) throw new Error(`Creating the webhook answered ${created.status}: ${created.text}`);
    const hook = created.body.id;
    const enable = async (enabled: boolean) => {
      const patched = await request(server.url, 'PATCH', `/admin/v1/webhooks/${hook}`, admin, { enabled });
      if (patched.status !== 200) throw new Error(`PATCH webhook answered ${patched.status}: ${patched.text}`);
    };

    const next = eventSource(900, sizes.users);
    const body = () => JSON.stringify({ events: Array.from({ length: 1000 }, next) });
    const empty = () => ({ events: 0, seconds: 0, sustainedSeconds: 0, cpuSeconds: 0 });
    const totals = { with: empty(), without: empty() };
    const cpu = () => cpuSecondsOf(server.pid) ?? Number.NaN;
    const catchUps: number[] = [];
    let deliveries = 0;
    // A warm-up round of each kind, then `webhookRounds` measured rounds of each, alternating.
    for (let round = 0; round < 2 * (sizes.webhookRounds + 1); round++) {
      const subscribed = round % 2 === 1;
      const measured = round >= 2;
      await enable(subscribed);
      const before = subscribed ? await deliveredCount(raw) : 0;
      const cpuBefore = cpu();
      const start = process.hrtime.bigint();
      const result = await load({
        url: server.url,
        connections: sizes.batchConnections,
        seconds: 3600,
        amount: sizes.webhookRoundRequests,
        method: 'POST',
        headers: { 'x-api-key': appKey, 'content-type': 'application/json' },
        next: () => ({ path: '/v1/events', body: body() }),
      });
      const took = seconds(start);
      if (result.non2xx + result.errors > 0) {
        throw new Error(`A batch round answered ${result.non2xx} non-2xx ${JSON.stringify(result.statusCodes)}, ${result.errors} errors`);
      }
      const catchUp = await caughtUp(raw);
      const sustained = seconds(start);
      const cpuSeconds = cpu() - cpuBefore;
      const events = result.requests * 1000;
      log(
        `  ${measured ? '' : 'warm-up '}round ${round + 1}, webhook ${subscribed ? 'on' : 'off'}: ${Math.round(events / took)} events/s, ` +
          `caught up ${catchUp.toFixed(2)} s later; server CPU ${Math.round((1000 * cpuSeconds) / (events / 1000))} ms per 1,000 events`,
      );
      if (!measured) continue;
      const kind = subscribed ? totals.with : totals.without;
      kind.events += events;
      kind.seconds += took;
      kind.sustainedSeconds += sustained;
      kind.cpuSeconds += cpuSeconds;
      if (subscribed) {
        catchUps.push(catchUp);
        deliveries += (await deliveredCount(raw)) - before;
      }
    }

    // b. Drain: copies of a real unlock's event, written undelivered in one transaction.
    await enable(true);
    const n = sizes.drainDeliveries;
    const [template] = await raw.query<{ id: string }>(
      `select id from outbox where type = 'achievement.completed' order by id desc limit 1`,
    );
    if (!template) throw new Error('No achievement.completed event to copy');
    const before = await deliveredCount(raw);
    const now = Date.now();
    const series =
      raw.dialect === 'postgres'
        ? { with: '', from: 'generate_series(1, $2::int) g(n)', id: `'drain-' || lpad(g.n::text, 7, '0')` }
        : {
            with: 'with recursive g(n) as (select 1 union all select n + 1 from g where n < $2)',
            from: 'g',
            id: `printf('drain-%07d', g.n)`,
          };
    await raw.run('begin');
    await raw.run(
      `${series.with} insert into outbox (id, org_id, community_id, type, user_id, payload, backfilled, created_at)
       select ${series.id}, o.org_id, o.community_id, o.type, o.user_id, o.payload, 0, $3
       from outbox o, ${series.from} where o.id = $1`,
      [template.id, n, now],
    );
    await raw.run('commit');
    const cpuBefore = cpu();
    const drained = await caughtUp(raw);
    const drainCpu = cpu() - cpuBefore;
    const delivered = (await deliveredCount(raw)) - before;
    if (delivered !== n) throw new Error(`The drain delivered ${delivered} events, not ${n}`);
    log(`  drain: ${n} deliveries in ${drained.toFixed(2)} s, server CPU ${drainCpu.toFixed(2)} s`);

    const rounds = (t: ReturnType<typeof empty>): IngestRounds => ({
      events: t.events,
      seconds: t.seconds,
      eventsPerSecond: t.events / t.seconds,
      sustainedSeconds: t.sustainedSeconds,
      sustainedEventsPerSecond: t.events / t.sustainedSeconds,
      serverCpuMsPerThousand: (1000 * t.cpuSeconds) / (t.events / 1000),
    });
    return {
      withWebhook: rounds(totals.with),
      withoutWebhook: rounds(totals.without),
      rounds: sizes.webhookRounds,
      deliveriesPerEvent: deliveries / totals.with.events,
      catchUpSeconds: { mean: catchUps.reduce((a, b) => a + b, 0) / catchUps.length, max: Math.max(...catchUps) },
      drain: { deliveries: n, seconds: drained, perSecond: n / drained, serverCpuSeconds: drainCpu },
      serverPeakRssBytes: server.peakRss(),
    };
  } finally {
    await server.stop();
    await receiver.stop();
  }
}
