import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

/** Rarity divides by the community's users, a count kept as users are created, whichever way they are. */
describe.each(DIALECTS)('the community user count (%s)', (dialect) => {
  let t: TestLaurel;
  beforeEach(async () => {
    t = await startLaurel({ dialect });
    await t.admin('POST', '/admin/v1/achievements', { key: 'badge', name: 'Badge', status: 'active', criteria: { type: 'api' } });
  });
  afterEach(() => t.close());

  const rarity = async () => (await t.api('GET', '/v1/achievements')).body[0].rarity;

  it('counts users created by identify, by events and by completion, each once', async () => {
    expect((await t.api('POST', '/v1/users', { id: 'ann' })).status).toBe(201);
    expect((await t.api('PUT', '/v1/users/ann', { name: 'Ann' })).status).toBe(200);
    const events = [{ id: 'bo' }, { id: 'bo' }, { id: 'ann' }, { id: 'cy' }].map((user) => ({ metric: 'words', user, value: 1 }));
    expect((await t.api('POST', '/v1/events', { events })).status).toBe(200);
    expect((await t.api('POST', '/v1/achievements/badge/complete', { user: { id: 'dee' } })).status).toBe(201);
    // ann, bo, cy, dee: one completion among four users.
    expect(await rarity()).toBe(25);
    expect((await t.api('POST', '/v1/achievements/badge/complete', { user: { id: 'ann' } })).status).toBe(201);
    expect(await rarity()).toBe(50);
  });
});
