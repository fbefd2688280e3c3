/**
 * The benchmark's community: 10 metrics, a points system, two streaks and 100 active achievements
 * of every kind (tiered milestones, count milestones, rolling windows, period goals, beat-previous
 * goals, streaks, composites), created through the admin API. Plus the deterministic random
 * events every scenario sends.
 */

export interface MetricSpec {
  key: string;
  name: string;
  verb: string;
  unit: string;
  unitSingular: string;
}

export const METRICS: readonly MetricSpec[] = [
  { key: 'words', name: 'Words written', verb: 'Write', unit: 'words', unitSingular: 'word' },
  { key: 'posts', name: 'Posts published', verb: 'Publish', unit: 'posts', unitSingular: 'post' },
  { key: 'comments', name: 'Comments', verb: 'Post', unit: 'comments', unitSingular: 'comment' },
  { key: 'likes', name: 'Likes given', verb: 'Give', unit: 'likes', unitSingular: 'like' },
  { key: 'minutes', name: 'Minutes practised', verb: 'Practise', unit: 'minutes', unitSingular: 'minute' },
  { key: 'lessons', name: 'Lessons completed', verb: 'Complete', unit: 'lessons', unitSingular: 'lesson' },
  { key: 'purchases', name: 'Purchases', verb: 'Make', unit: 'purchases', unitSingular: 'purchase' },
  { key: 'revenue', name: 'Revenue', verb: 'Earn', unit: 'euros', unitSingular: 'euro' },
  { key: 'logins', name: 'Logins', verb: 'Log in', unit: 'times', unitSingular: 'time' },
  { key: 'shares', name: 'Shares', verb: 'Share', unit: 'items', unitSingular: 'item' },
];

/** Event values are whole numbers from 1 to this. */
export const MAX_VALUE = 10;

export const TIME_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Europe/London', 'America/Los_Angeles'] as const;

export const userId = (n: number) => `user-${String(n).padStart(7, '0')}`;
export const timeZoneOf = (n: number) => TIME_ZONES[n % TIME_ZONES.length] as string;

const xp = (amount: number) => [{ type: 'points', system: 'xp', amount }];

/** Admin API requests that build the community, in order (composites after what they require). */
export function communityRequests(): { method: 'POST'; url: string; body: Record<string, unknown> }[] {
  const out: { method: 'POST'; url: string; body: Record<string, unknown> }[] = [];
  const post = (url: string, body: Record<string, unknown>) => out.push({ method: 'POST', url, body });

  for (const m of METRICS) post('/admin/v1/metrics', { ...m });
  post('/admin/v1/points-systems', {
    key: 'xp',
    name: 'XP',
    levels: [
      { key: 'novice', name: 'Novice', points: 0 },
      { key: 'regular', name: 'Regular', points: 100 },
      { key: 'expert', name: 'Expert', points: 1000 },
      { key: 'legend', name: 'Legend', points: 10000 },
    ],
  });
  post('/admin/v1/streaks', {
    key: 'daily-activity',
    name: 'Daily activity',
    frequency: 'daily',
    metrics: METRICS.map((m) => ({ metric: m.key })),
    mode: 'any',
    primary: true,
    freezes: { initial: 1, autoEarnEveryDays: 7, max: 3 },
  });
  post('/admin/v1/streaks', { key: 'weekly-writer', name: 'Weekly writer', frequency: 'weekly', metrics: [{ metric: 'words', min: 10 }] });

  const achievement = (body: Record<string, unknown>) => post('/admin/v1/achievements', { status: 'active', ...body });

  // 8 per metric: 80. Thresholds are set so that most events unlock nothing and some unlock a
  // tier, a window or a goal; "first" and "better than last week" (which any first activity
  // unlocks) exist on two metrics only.
  for (const [i, m] of METRICS.entries()) {
    const scale = 1 + i / 10;
    const tiered = (suffix: string, measure: 'sum' | 'count', base: number) =>
      achievement({
        key: `${m.key}-${suffix}`,
        name: `${m.name}: ${suffix}`,
        category: m.key,
        criteria: { type: 'metric', metric: m.key, measure },
        tiers: [
          { key: 'bronze', name: 'Bronze', threshold: base, rewards: xp(10) },
          { key: 'silver', name: 'Silver', threshold: base * 10, rewards: [...xp(50), { type: 'badge' }] },
          { key: 'gold', name: 'Gold', threshold: base * 100, rewards: [...xp(250), { type: 'custom', data: { frame: 'gold' } }] },
        ],
      });
    tiered('milestones', 'sum', Math.round(10 * scale));
    tiered('marathon', 'sum', Math.round(50 * scale));
    tiered('regular', 'count', 3);
    achievement(
      i < 2
        ? {
            key: `${m.key}-first`,
            name: `First: ${m.name}`,
            criteria: { type: 'metric', metric: m.key, measure: 'count', threshold: 1 },
            rewards: xp(5),
          }
        : {
            key: `${m.key}-ten`,
            name: `Ten: ${m.name}`,
            criteria: { type: 'metric', metric: m.key, measure: 'count', threshold: 10 },
            rewards: xp(20),
          },
    );
    achievement({
      key: `${m.key}-busy-week`,
      name: `Busy week: ${m.name}`,
      criteria: { type: 'metric', metric: m.key, measure: 'count', threshold: 3, window: { days: 7 } },
      rewards: xp(20),
    });
    achievement({
      key: `${m.key}-strong-month`,
      name: `Strong month: ${m.name}`,
      criteria: { type: 'metric', metric: m.key, measure: 'sum', threshold: 60, window: { days: 30 } },
      rewards: xp(30),
    });
    achievement({
      key: `${m.key}-weekly-goal`,
      name: `Weekly goal: ${m.name}`,
      criteria: { type: 'metric', metric: m.key, threshold: 20, period: { unit: 'week' } },
      policies: { repeat: 'per_period' },
      rewards: xp(15),
    });
    achievement(
      i < 2
        ? {
            key: `${m.key}-better-week`,
            name: `Better than last week: ${m.name}`,
            criteria: { type: 'metric', metric: m.key, beatPrevious: true, period: { unit: 'week' } },
            rewards: [{ type: 'badge' }],
          }
        : {
            key: `${m.key}-monthly-goal`,
            name: `Monthly goal: ${m.name}`,
            criteria: { type: 'metric', metric: m.key, threshold: 50, period: { unit: 'month' } },
            policies: { repeat: 'per_period' },
            rewards: xp(40),
          },
    );
  }

  // 10 streak achievements.
  achievement({
    key: 'streak-tiers',
    name: 'Streak tiers',
    criteria: { type: 'streak', streak: 'daily-activity' },
    tiers: [3, 7, 14, 30].map((n, t) => ({ key: `days-${n}`, name: `${n} days`, threshold: n, rewards: xp(10 * (t + 1)) })),
  });
  for (const n of [2, 5, 10, 21, 50, 100]) {
    achievement({
      key: `streak-${n}`,
      name: `${n}-day streak`,
      criteria: { type: 'streak', streak: 'daily-activity', length: n },
      rewards: xp(n),
    });
  }
  achievement({
    key: 'writer-weeks',
    name: 'Writing weeks',
    criteria: { type: 'streak', streak: 'weekly-writer' },
    tiers: [2, 4, 8].map((n) => ({ key: `weeks-${n}`, name: `${n} weeks`, threshold: n, rewards: xp(5 * n) })),
  });
  for (const n of [3, 12]) {
    achievement({ key: `writer-weeks-${n}`, name: `${n} writing weeks`, criteria: { type: 'streak', streak: 'weekly-writer', length: n } });
  }

  // 10 composites.
  const keys = METRICS.map((m) => m.key);
  for (let i = 0; i < 10; i++) {
    const a = keys[i] as string;
    const b = keys[(i + 1) % keys.length] as string;
    const c = keys[(i + 3) % keys.length] as string;
    achievement({
      key: `combo-${i}`,
      name: `Combo ${i}`,
      criteria:
        i % 2 === 0
          ? { type: 'composite', requires: [`${a}-milestones`, `${b}-milestones`] }
          : { type: 'composite', requires: [`${a}-busy-week`, `${b}-weekly-goal`, `${c}-regular`], min: 2 },
      rewards: [...xp(25), { type: 'badge' }],
    });
  }
  return out;
}

/** mulberry32: small, fast, deterministic. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BenchEvent {
  metric: string;
  user: { id: string; tz: string };
  value: number;
}

/** Events for random users among `users` and random metrics. */
export function eventSource(seed: number, users: number): () => BenchEvent {
  const next = random(seed);
  return () => {
    const n = Math.floor(next() * users);
    return {
      metric: (METRICS[Math.floor(next() * METRICS.length)] as MetricSpec).key,
      user: { id: userId(n), tz: timeZoneOf(n) },
      value: 1 + Math.floor(next() * MAX_VALUE),
    };
  };
}
