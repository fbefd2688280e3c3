import type { Reward } from './achievement.js';
import { checkedTotal, roundValue } from './values.js';

export interface Level {
  id: string;
  key: string;
  name: string;
  description: string | null;
  badgeUrl: string | null;
  points: number;
}

export interface PointsSystem {
  id: string;
  key: string;
  name: string;
  description: string | null;
  badgeUrl: string | null;
  maxPoints: number | null;
  kind: 'xp' | 'spendable';
  status: 'active' | 'archived';
  /** Ascending by points. */
  levels: Level[];
}

/** The highest level whose threshold the total has reached, or null. */
export function levelFor(levels: readonly Level[], total: number): Level | null {
  let found: Level | null = null;
  for (const level of levels) {
    if (total >= level.points) found = level;
    else break;
  }
  return found;
}

/** Adds points, never past the system's maximum; refuses a balance out of range. */
export function addPoints(
  total: number,
  amount: number,
  maxPoints: number | null,
  system = 'a points balance',
): { total: number; added: number } {
  const capped = maxPoints === null ? total + amount : Math.min(maxPoints, total + amount);
  const next = checkedTotal(roundValue(Math.max(total, capped)), system);
  return { total: next, added: roundValue(next - total) };
}

/** The points an unlock pays, summed per points system key. */
export function pointsBySystem(rewards: readonly Reward[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const reward of rewards) {
    if (reward.type === 'points') out.set(reward.system, (out.get(reward.system) ?? 0) + reward.amount);
  }
  return out;
}
