/** Goals within a period: users' own targets, prorated to the period by days. */
import { daysInMonthOf, type Period } from './calendar.js';

export interface Target {
  value: number;
  per: 'day' | 'week' | 'month';
}

/**
 * A target for the days of a period: each day is worth its share of the target's own span, so a
 * monthly target of 40,000 is 10,000 for a week of a 28-day month (and a week spanning two months
 * takes from each month at its own rate).
 */
export function proratedTarget(target: Target, period: Period): number {
  let total = 0;
  for (let day = period.start; day <= period.end; day++) {
    total += target.per === 'day' ? target.value : target.per === 'week' ? target.value / 7 : target.value / daysInMonthOf(day);
  }
  return Math.round(total * 1e6) / 1e6;
}
