/**
 * A member's celebrations: what their app pops up after an unlock, a level or a streak milestone,
 * until acknowledged; streamed as it happens; never for a backfill or a switched-off celebration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';
import { createLessons } from '../support/lessons.js';

describe.each(DIALECTS)('celebrations (%s)', (dialect) => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ dialect });
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

  it('streams a new celebration as it happens, and resumes after the last one seen', async () => {
    const address = await t.laurel.app.listen({ port: 0, host: '127.0.0.1' });
    const open = (lastEventId?: string) =>
      fetch(`${address}/v1/users/gus/celebrations/stream`, {
        headers: { 'X-API-Key': t.appKey, ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) },
      });
    await t.api('POST', '/v1/users', { id: 'gus' });
    const stream = await open();
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'gus' }, value: 1 });
    let text = '';
    while (!text.includes('event: celebration')) text += new TextDecoder().decode((await reader.read()).value);
    const firstId = /id: (\S+)/.exec(text)?.[1] as string;
    await reader.cancel();

    const all = (await list('gus')).body.celebrations.map((c: { id: string }) => c.id);
    const resumed = await open(all.at(-1));
    const again = (resumed.body as ReadableStream<Uint8Array>).getReader();
    let later = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await again.read();
        if (done) return;
        later += new TextDecoder().decode(value);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await again.cancel();
    await reading;
    expect(later).toContain('retry:');
    expect(later).not.toContain('event: celebration');
    expect(all).toContain(firstId);
  });
});
