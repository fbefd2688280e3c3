import { percentOf } from './values.js';

export interface Progress {
  current: number;
  target: number;
  percent: number;
  /** Index of the tier being worked towards; null once every tier is held. */
  targetTier: number | null;
}

/** Progress of a measure towards the first step the user does not hold yet. */
export function thresholdProgress(thresholds: readonly number[], current: number, held: ReadonlySet<number>): Progress {
  const next = thresholds.findIndex((_, i) => !held.has(i));
  if (next === -1) {
    const target = thresholds[thresholds.length - 1] ?? 0;
    return { current, target, percent: 100, targetTier: null };
  }
  const target = thresholds[next] as number;
  return { current, target, percent: percentOf(current, target), targetTier: next };
}

/** Progress of a composite: how many of its prerequisites are held, out of how many it needs. */
export function countProgress(held: number, needed: number): Progress {
  return { current: Math.min(held, needed), target: needed, percent: percentOf(held, needed), targetTier: null };
}
