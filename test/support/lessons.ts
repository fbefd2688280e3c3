/**
 * A small community for tests of what an unlock announces: an XP points system whose second level
 * is reached by the first lesson's reward, a daily streak on lessons, and the "first-lesson"
 * achievement (`firstLesson` adds to its definition).
 */
import type { TestLaurel } from './laurel.js';

export async function createLessons(t: TestLaurel, firstLesson: Record<string, unknown> = {}): Promise<void> {
  await t.admin('POST', '/admin/v1/points-systems', {
    key: 'xp',
    name: 'XP',
    levels: [
      { key: 'novice', name: 'Novice', points: 0 },
      { key: 'pro', name: 'Pro', points: 50 },
    ],
  });
  await t.admin('POST', '/admin/v1/streaks', { key: 'daily', name: 'Daily', frequency: 'daily', metrics: [{ metric: 'lessons' }] });
  await t.admin('POST', '/admin/v1/achievements', {
    key: 'first-lesson',
    name: 'First lesson',
    criteria: { type: 'metric', metric: 'lessons', threshold: 1 },
    rewards: [{ type: 'points', system: 'xp', amount: 60 }],
    status: 'active',
    ...firstLesson,
  });
}
