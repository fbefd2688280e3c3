/**
 * A member's celebrations: what their app pops up after an unlock, a level or a streak milestone,
 * until acknowledged; streamed as it happens; never for a backfill or a switched-off celebration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';
import { createLessons } from '../support/lessons.js';
import { openSse, type SseStream } from '../support/sse.js';

describe.each(DIALECTS)('celebrations (%s)', (dialect) => {
  let t: TestLaurel;
  let address: string;
  /** The statements run while a test listens (null: not listening). */
  let heard: string[] | null = null;
  beforeAll(async () => {
    t = await startLaurel({ dialect, onQuery: (statement) => heard?.push(statement) });
    address = await t.laurel.app.listen({ port: 0, host: '127.0.0.1' });
    await createLessons(t, { celebration: { message: 'Well done!', animation: 'confetti', sound: 'chime', durationSeconds: 8 } });
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'quiet',
      name: 'Quiet one',
      criteria: { type: 'metric', metric: 'lessons', threshold: 1 },
      celebration: { enabled: false },
      status: 'active',
    });
  });
  afterAll(() => t.close());

  const list = (user: string, headers: Record<string, string> = {}) => t.api('GET', `/v1/users/${user}/celebrations`, undefined, headers);

  it('lists an unlock and the level it brought, with what a pop-up needs, until they are acknowledged', async () => {
    await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'ada' }, value: 1 });
    const shown = await list('ada');
    expect(shown.status).toBe(200);
    expect(shown.body.celebrations).toMatchObject([
      {
        kind: 'achievement',
        title: 'First lesson',
        message: 'Well done!',
        animation: 'confetti',
        sound: 'chime',
        durationSeconds: 8,
        shareText: 'I unlocked “First lesson”!',
        rewards: [{ type: 'points', system: 'xp', amount: 60 }],
        achievementKey: 'first-lesson',
      },
      { kind: 'level', title: 'Pro', pointsSystemKey: 'xp', shareText: 'I reached Pro in XP!' },
    ]);
    const ids = shown.body.celebrations.map((c: { id: string }) => c.id);
    expect((await t.api('POST', '/v1/users/bo/celebrations/ack', { ids })).status).toBe(404);
    await t.api('POST', '/v1/users', { id: 'bo' });
    expect((await t.api('POST', '/v1/users/bo/celebrations/ack', { ids })).body).toEqual({ acknowledged: 0 });
    expect((await t.api('POST', '/v1/users/ada/celebrations/ack', { ids })).body).toEqual({ acknowledged: 2 });
    expect((await list('ada')).body.celebrations).toEqual([]);
  });

  it("speaks the member's language", async () => {
    await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'dora' }, value: 1 });
    const shown = await list('dora', { 'Accept-Language': 'de' });
    expect(shown.body.celebrations[0].shareText).toBe('Ich habe „First lesson“ freigeschaltet!');
  });

  it('celebrates a streak milestone, and nothing granted by backfill', async () => {
    for (const day of ['2026-03-02', '2026-03-03', '2026-03-04']) {
      t.clock.set(Date.parse(`${day}T12:00:00Z`));
      await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'eve' }, value: 1 });
    }
    const streaks = (await list('eve')).body.celebrations.filter((c: { kind: string }) => c.kind === 'streak');
    expect(streaks).toMatchObject([{ streakLength: 3, title: '3 days in a row!', shareText: '3 days in a row!' }]);

    await t.api('POST', '/v1/metrics/pages/event', { user: { id: 'finn' }, value: 9 });
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'reader',
      name: 'Reader',
      criteria: { type: 'metric', metric: 'pages', threshold: 5 },
      policies: { onActivation: 'backfill' },
      status: 'active',
    });
    expect((await t.api('GET', '/v1/users/finn/achievements')).body.map((a: { key: string }) => a.key)).toContain('reader');
    expect((await list('finn')).body.celebrations).toEqual([]);
    expect((await list('nobody')).status).toBe(404);
  });

  const stream = (user: string, lastEventId?: string) =>
    openSse(`${address}/v1/users/${user}/celebrations/stream`, {
      'X-API-Key': t.appKey,
      ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}),
    });
  const opened = (s: SseStream) => until(() => s.text().startsWith('retry: 1000\n\n'));

  it('streams a new celebration within a second of its commit, and resumes after the last one seen', async () => {
    await t.api('POST', '/v1/users', { id: 'gus' });
    const live = await stream('gus');
    expect(live.status).toBe(200);
    expect(live.contentType).toContain('text/event-stream');
    await opened(live);
    const sent = performance.now();
    await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'gus' }, value: 1 });
    const unlock = await live.next((e) => e.event === 'celebration', 1_000);
    const level = await live.next((e) => JSON.parse(e.data).kind === 'level', 1_000);
    const latencyMs = performance.now() - sent;
    await live.close();
    expect(JSON.parse(unlock.data)).toMatchObject({ kind: 'achievement', achievementKey: 'first-lesson' });
    expect(latencyMs).toBeLessThan(1_000);
    console.log(`${dialect}: a celebration reached the open stream ${latencyMs.toFixed(0)} ms after the event was sent`);

    const resumed = await stream('gus', unlock.id as string);
    expect((await resumed.next((e) => e.event === 'celebration', 1_000)).id).toBe(level.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await resumed.close();
    expect(resumed.events.map((e) => e.id)).toEqual([level.id]);
  });

  it('reads nothing while no celebration of its member comes, and stops following when it ends', async () => {
    await until(() => t.laurel.ctx.celebrations.following === 0);
    expect((await t.api('GET', '/v1/users/nobody/celebrations/stream')).status).toBe(404);
    expect(t.laurel.ctx.celebrations.following).toBe(0);
    await t.api('POST', '/v1/users', { id: 'hal' });
    const idle = await stream('hal');
    await opened(idle);
    expect(t.laurel.ctx.celebrations.following).toBe(1);
    heard = [];
    // Streams used to look every 400 ms: five reads in two seconds; another member's unlock wakes no one else.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'ida' }, value: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const reads = heard.filter((statement) => statement.includes('celebrations_seen'));
    heard = null;
    expect(reads).toEqual([]);
    await idle.close();
    await until(() => t.laurel.ctx.celebrations.following === 0);
    expect(idle.events).toEqual([]);
  });

  it('tells other processes once per transaction, and only when there is something to celebrate', async () => {
    heard = [];
    // An unlock and the level it brings: two celebrations, one transaction.
    await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'jo' }, value: 1 });
    const celebrating = heard.filter((statement) => statement.includes('pg_notify')).length;
    heard = [];
    await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'jo' }, value: 1 });
    const quiet = heard.filter((statement) => statement.includes('pg_notify')).length;
    heard = null;
    // SQLite runs in one process: there is no one else to tell.
    expect([celebrating, quiet]).toEqual(dialect === 'postgres' ? [1, 0] : [0, 0]);
  });
});

async function until(done: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error('Timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
