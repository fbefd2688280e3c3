/** Totals over time from per-day changes: what Trophy calls an event summary. */
import { type DayNumber, dayNumber, isoDay, periodOf } from './calendar.js';
import { invalid } from './errors.js';
import { roundValue } from './values.js';

export type Aggregation = 'daily' | 'weekly' | 'monthly';

export interface SummaryPoint {
  /** First day of the period (or the range's first day, when the period starts before it). */
  date: string;
  /** The total at the end of the period. */
  total: number;
  /** What the period added (its part inside the range). */
  change: number;
}

/** Parses and checks a summary's date range: start not after end, at most 400 days. */
export function summaryRange(startDate: string, endDate: string): { start: DayNumber; end: DayNumber } {
  const parse = (value: string, field: string) => {
    try {
      return dayNumber(value);
    } catch {
      throw invalid('invalid_date', `${field} "${value}" is not a date (YYYY-MM-DD)`, field);
    }
  };
  const start = parse(startDate, 'startDate');
  const end = parse(endDate, 'endDate');
  if (end < start) throw invalid('invalid_range', 'startDate must not come after endDate', 'endDate');
  if (end - start + 1 > 400) throw invalid('invalid_range', 'The date range must not exceed 400 days', 'endDate');
  return { start, end };
}

/**
 * `changes` holds what each day added (days without change absent), at least from `start` on;
 * `currentTotal` is the total now. The total at the end of a period is the current total minus
 * everything added after it.
 */
export function summarize(
  changes: ReadonlyMap<DayNumber, number>,
  currentTotal: number,
  range: { start: DayNumber; end: DayNumber },
  aggregation: Aggregation,
  weekStart: number,
): SummaryPoint[] {
  const unit = aggregation === 'daily' ? 'day' : aggregation === 'weekly' ? 'week' : 'month';
  const points: SummaryPoint[] = [];
  for (let day = range.start; day <= range.end; ) {
    const period = periodOf(day, { unit }, weekStart) as { start: DayNumber; end: DayNumber };
    const last = Math.min(period.end, range.end);
    let change = 0;
    let after = 0;
    for (const [d, value] of changes) {
      if (d >= day && d <= last) change += value;
      if (d > last) after += value;
    }
    points.push({ date: isoDay(day), total: roundValue(currentTotal - after), change: roundValue(change) });
    day = last + 1;
  }
  return points;
}
