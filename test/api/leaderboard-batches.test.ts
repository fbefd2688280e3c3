import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

/**
 * A batch moves many users on a leaderboard at once. Each event must still report the rank its user
 * has after the batch, the rank before it, and the threshold, as if counted one by one; and the
 * cost of keeping leaderboards must not grow with the number of users in the batch.
 */
const DAY = 86_400_000;

interface Board {
  key: string;
  maxParticipants: number;
  breakdownAttribute?: string;
}

const boards: Board[] = [
  { key: 'top', maxParticipants: 3 },
  { key: 'teams', maxParticipants: 2, breakdownAttribute: 'team' },
];

async function createBoards(t: TestLaurel): Promise<void> {
  for (const b of boards) {
    const reply = await t.admin('POST', '/admin/v1/leaderboards', {
      name: b.key,
      rankBy: 'metric',
      metric: 'words',
      status: 'active',
      ...b,
    });
    expect(reply.status).toBe(201);
  }
}

interface Event {
  user: string;
  team: string;
  value: number;
}

/** What a leaderboard is: each user's value per group; a rank counts the others strictly above. */
class Model {
  private readonly values = new Map<string, Map<string, number>>();

  private group(b: Board, team: string): Map<string, number> {
    const id = `${b.key}/${b.breakdownAttribute ? team : ''}`;
    let g = this.values.get(id);
    if (!g) this.values.set(id, (g = new Map()));
    return g;
  }

  add(e: Event): void {
    for (const b of boards) {
      const g = this.group(b, e.team);
      g.set(e.user, (g.get(e.user) ?? 0) + e.value);
    }
  }

  value(b: Board, e: Event): number | null {
    return this.group(b, e.team).get(e.user) ?? null;
  }

  rank(b: Board, e: Event): number | null {
    const g = this.group(b, e.team);
    const mine = g.get(e.user);
    if (mine === undefined) return null;
    const rank = 1 + [...g].filter(([user, v]) => user !== e.user && v > mine).length;
    return rank > b.maxParticipants ? null : rank;
  }

  threshold(b: Board, e: Event): number {
    return [...this.group(b, e.team).values()].sort((x, y) => y - x)[b.maxParticipants - 1] ?? 0;
  }
}

describe.each(DIALECTS)('leaderboards in a batch (%s)', (dialect) => {
  async function send(t: TestLaurel, events: Event[]) {
    const reply = await t.api('POST', '/v1/events', {
      events: events.map((e) => ({ metric: 'words', user: { id: e.user, attributes: { team: e.team } }, value: e.value })),
    });
    expect(reply.status).toBe(200);
    return reply.body.results as {
      leaderboards: Record<string, { rank: number | null; previousRank?: number | null; threshold: number }>;
    }[];
  }

  it('gives every user of a batch their rank, previous rank, threshold and day of history, with ties and cut-offs', async () => {
    const t = await startLaurel({ dialect });
    try {
      await createBoards(t);
      const model = new Model();
      const day1: Event[] = [
        { user: 'a', team: 'red', value: 10 },
        { user: 'b', team: 'blue', value: 6 },
        { user: 'b', team: 'blue', value: 4 },
        { user: 'c', team: 'red', value: 7 },
        { user: 'd', team: 'blue', value: 5 },
        { user: 'e', team: 'red', value: 5 },
        { user: 'f', team: 'blue', value: 5 },
        { user: 'g', team: 'red', value: 1 },
        { user: '007', team: 'blue', value: 3 },
      ];
      await send(t, day1);
      for (const e of day1) model.add(e);

      t.clock.advance(DAY);
      // Most of them move at once: a new leader, a four-way tie for second, users crossing the cut-off
      // both ways, newcomers, and a user with two events.
      const day2: Event[] = [
        { user: 'c', team: 'red', value: 4 },
        { user: 'd', team: 'blue', value: 5 },
        { user: 'g', team: 'red', value: 9 },
        { user: '007', team: 'blue', value: 1 },
        { user: 'e', team: 'red', value: 1 },
        { user: 'e', team: 'red', value: 1 },
        { user: 'i', team: 'red', value: 6 },
        { user: 'j', team: 'blue', value: 2 },
      ];
      const before = new Model();
      for (const e of day1) before.add(e);
      for (const e of day2) model.add(e);
      const results = await send(t, day2);

      const reported = results.map((r) =>
        boards.map((b) => {
          const v = r.leaderboards[b.key];
          return { rank: v?.rank ?? null, previousRank: v?.previousRank ?? null, threshold: v?.threshold };
        }),
      );
      const expected = day2.map((e) =>
        boards.map((b) => ({ rank: model.rank(b, e), previousRank: before.rank(b, e), threshold: model.threshold(b, e) })),
      );
      expect(reported).toEqual(expected);
      // Spelled out for the plain leaderboard: c leads alone, four tie for second, the rest are beyond its size of 3.
      expect(reported.map((r) => r[0]?.rank)).toEqual([1, 2, 2, null, null, null, null, null]);
      expect(reported.map((r) => r[0]?.previousRank)).toEqual([3, null, null, null, null, null, null, null]);
      expect(reported[0]?.[0]?.threshold).toBe(10);

      for (const e of day2) {
        for (const b of boards) {
          const reply = await t.api('GET', `/v1/users/${e.user}/leaderboards/${b.key}?numEvents=1`);
          expect(reply.status).toBe(200);
          expect(reply.body.rank).toBe(model.rank(b, e));
          expect(reply.body.value).toBe(model.value(b, e));
          expect(reply.body.history[0]).toMatchObject({
            date: new Date(t.clock.now()).toISOString().slice(0, 10),
            previousRank: before.rank(b, e),
            rank: model.rank(b, e),
            previousValue: before.value(b, e),
            value: model.value(b, e),
          });
        }
      }
    } finally {
      await t.close();
    }
  });

  it('agrees with the rules over random batches full of ties, both before and after each batch', async () => {
    const t = await startLaurel({ dialect });
    try {
      await createBoards(t);
      const model = new Model();
      let seed = 7;
      const random = (n: number) => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed % n;
      };
      for (let round = 0; round < 4; round++) {
        const events = Array.from({ length: 60 }, () => {
          const u = random(40);
          return { user: `u${u}`, team: `t${u % 3}`, value: random(4) + 1 };
        });
        const results = await send(t, events);
        const previous = events.map((e) => boards.map((b) => model.rank(b, e)));
        for (const e of events) model.add(e);
        expect(
          results.map((r) =>
            boards.map((b) => [
              r.leaderboards[b.key]?.rank ?? null,
              r.leaderboards[b.key]?.previousRank ?? null,
              r.leaderboards[b.key]?.threshold,
            ]),
          ),
        ).toEqual(events.map((e, i) => boards.map((b, j) => [model.rank(b, e), previous[i]?.[j] ?? null, model.threshold(b, e)])));
      }
    } finally {
      await t.close();
    }
  });

  it("records one day of history for a user whose group changes within a batch: the first group's past, the last's present", async () => {
    const t = await startLaurel({ dialect });
    try {
      await createBoards(t);
      await send(t, [
        { user: 'a', team: 'red', value: 5 },
        { user: 'b', team: 'red', value: 9 },
        { user: 'c', team: 'blue', value: 1 },
      ]);
      t.clock.advance(DAY);
      await send(t, [
        { user: 'a', team: 'red', value: 1 },
        { user: 'a', team: 'blue', value: 3 },
      ]);
      const reply = await t.api('GET', '/v1/users/a/leaderboards/teams?numEvents=5');
      expect(reply.body.history).toHaveLength(2);
      expect(reply.body.history[0]).toMatchObject({ previousRank: 2, previousValue: 5, rank: 1, value: 3 });
    } finally {
      await t.close();
    }
  });

  it('fills a streak leaderboard from the streaks users already have when it is activated', async () => {
    const t = await startLaurel({ dialect });
    try {
      expect(
        (await t.admin('POST', '/admin/v1/streaks', { key: 'daily', name: 'Daily', frequency: 'daily', metrics: [{ metric: 'words' }] }))
          .status,
      ).toBe(201);
      const days = { ann: 3, bob: 1, cat: 3, dan: 2 };
      for (let back = 2; back >= 0; back--) {
        const writers = Object.entries(days).filter(([, n]) => n > back);
        const at = new Date(t.clock.now() - back * DAY).toISOString();
        await t.api('POST', '/v1/events', {
          events: writers.map(([user]) => ({ metric: 'words', user: { id: user, tz: 'UTC' }, value: 1, timestamp: at })),
        });
      }
      const created = await t.admin('POST', '/admin/v1/leaderboards', { key: 's', name: 'S', rankBy: 'streak', status: 'active' });
      expect(created.status).toBe(201);
      const board = await t.api('GET', '/v1/leaderboards/s');
      expect(board.body.rankings.map((r: { userId: string; rank: number; value: number }) => [r.userId, r.rank, r.value])).toEqual([
        ['ann', 1, 3],
        ['cat', 1, 3],
        ['dan', 3, 2],
        ['bob', 4, 1],
      ]);
    } finally {
      await t.close();
    }
  });

  it('runs the same leaderboard statements for a batch of 3 users as for one of 400 users with 2 events each', async () => {
    async function trace(users: number): Promise<string[]> {
      const statements: string[] = [];
      let tracing = false;
      const t = await startLaurel({
        dialect,
        onQuery: (text) => tracing && /leaderboard_(entries|history)/.test(text) && statements.push(text),
      });
      try {
        await createBoards(t);
        const batch = (round: number) =>
          Array.from({ length: users * 2 }, (_, i) => ({ user: `u${i % users}`, team: `t${i % 3}`, value: ((i * 7 + round) % 13) + 1 }));
        await send(t, batch(0));
        tracing = true;
        await send(t, batch(1));
        tracing = false;
        return statements;
      } finally {
        await t.close();
      }
    }
    const small = await trace(3);
    const large = await trace(400);
    expect(large).toEqual(small);
    expect(small.length).toBeLessThanOrEqual(7);
  });
});
