/**
 * Metric values are doubles. Totals are rounded to 8 decimal places after every addition so that
 * sums of decimals (0.1 + 0.2) compare equal to the thresholds people write.
 *
 * The range: every number a request carries (event values, thresholds, targets, points) is at most
 * VALUE_LIMIT in magnitude, and every running amount Laurel keeps (totals, per-day and per-achievement
 * sums, points balances, leaderboard values) at most TOTAL_LIMIT. Doubles hold whole numbers exactly
 * up to 2^53 (about 9e15), so amounts stay exact to the unit, and no sum can reach Infinity.
 */
import { invalid, type LaurelError } from './errors.js';

export const VALUE_DECIMALS = 8;
const SCALE = 10 ** VALUE_DECIMALS;
export const VALUE_LIMIT = 1e12;
export const TOTAL_LIMIT = 1e15;

/** Past this, value × SCALE is beyond the doubles that hold every integer, and Math.round would drift. */
const EXACT_SCALED = Number.MAX_SAFE_INTEGER / SCALE;

export function roundValue(value: number): number {
  if (Math.abs(value) < EXACT_SCALED) return Math.round(value * SCALE) / SCALE;
  return Number(value.toFixed(VALUE_DECIMALS));
}

export function addValues(a: number, b: number): number {
  return roundValue(a + b);
}

export function percentOf(current: number, target: number): number {
  if (target <= 0) return 100;
  const percent = (Math.max(0, current) / target) * 100;
  return Math.min(100, Math.round(percent * 100) / 100);
}

export function withinValueRange(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= VALUE_LIMIT;
}

export function valueRangeError(field: string, value: number): LaurelError {
  return invalid('value_out_of_range', `${field} must be a finite number between -${VALUE_LIMIT} and ${VALUE_LIMIT} (got ${value})`, field);
}

/** A running amount about to be stored; refuses the change that would take it out of range. */
export function checkedTotal(total: number, what: string, field?: string): number {
  if (Number.isFinite(total) && Math.abs(total) <= TOTAL_LIMIT) return total;
  throw invalid('total_out_of_range', `This would take ${what} beyond ±${TOTAL_LIMIT}, the most Laurel keeps`, field);
}
