/**
 * Days and periods in a user's own calendar. Which local day an instant falls on is Luxon's job
 * (time zones, DST, half-hour offsets); after that, days are plain calendar dates and are handled
 * as day numbers (days since 1970-01-01), on which a week or a month is simple counting.
 */
import { DateTime, IANAZone } from 'luxon';
import { invalid } from './errors.js';

/** A calendar date as a day number: 0 is 1970-01-01. */
export type DayNumber = number;

const MS_PER_DAY = 86_400_000;
/** `cache`'s value for `key`, computed once; the cache is emptied when it grows past 50,000 entries. */
function remember<K, V>(cache: Map<K, V>, key: K, compute: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    if (cache.size >= 50_000) cache.clear();
    cache.set(key, value);
  }
  return value;
}

const zones = new Map<string, IANAZone>();

function zone(tz: string | null): IANAZone {
  const name = tz ?? 'UTC';
  return remember(zones, name, () => IANAZone.create(name));
}

const dayCache = new Map<string, DayNumber>();

/**
 * The calendar day an instant falls on in a time zone (UTC when the user has none). Remembered per
 * zone and minute: a local day always begins on a whole minute, so every instant of a minute falls
 * on the same day, and most events of a batch share their minute.
 */
export function localDay(ms: number, tz: string | null): DayNumber {
  return remember(dayCache, `${tz ?? ''}|${Math.floor(ms / 60_000)}`, () => {
    const local = DateTime.fromMillis(ms, { zone: zone(tz) });
    return Date.UTC(local.year, local.month - 1, local.day) / MS_PER_DAY;
  });
}

/** The instant a local day starts in a time zone. */
export function startOfLocalDay(day: DayNumber, tz: string | null): number {
  const d = new Date(day * MS_PER_DAY);
  return DateTime.fromObject({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, { zone: zone(tz) }).toMillis();
}

const isoDays = new Map<DayNumber, string>();

/** `YYYY-MM-DD` of a day; remembered, since every event's answer formats the same few days. */
export function isoDay(day: DayNumber): string {
  return remember(isoDays, day, () => new Date(day * MS_PER_DAY).toISOString().slice(0, 10));
}

export function dayNumber(iso: string): DayNumber {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(ms) || isoDay(ms / MS_PER_DAY) !== iso) {
    throw invalid('invalid_date', `"${iso}" is not a date (YYYY-MM-DD)`);
  }
  return ms / MS_PER_DAY;
}

/** ISO weekday: 1 is Monday, 7 is Sunday. */
export function weekday(day: DayNumber): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export type PeriodUnit = 'day' | 'week' | 'month';

export interface PeriodSpec {
  unit: PeriodUnit | 'custom';
  /** Custom periods: the first period's first and last day. */
  start?: DayNumber;
  end?: DayNumber;
  /** Custom periods: whether the period repeats back to back after the first. */
  repeat?: boolean;
}

/** A run of whole days, first and last included. Its key is its first day. */
export interface Period {
  start: DayNumber;
  end: DayNumber;
}

/** The period a day falls in, or null when a custom period does not cover it. */
export function periodOf(day: DayNumber, spec: PeriodSpec, weekStart = 1): Period | null {
  switch (spec.unit) {
    case 'day':
      return { start: day, end: day };
    case 'week': {
      const start = day - ((weekday(day) - weekStart + 7) % 7);
      return { start, end: start + 6 };
    }
    case 'month': {
      const d = new Date(day * MS_PER_DAY);
      const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / MS_PER_DAY;
      const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / MS_PER_DAY - 1;
      return { start, end };
    }
    case 'custom': {
      const first = spec.start as DayNumber;
      const length = (spec.end as DayNumber) - first + 1;
      if (day < first) return null;
      const index = Math.floor((day - first) / length);
      if (index > 0 && !spec.repeat) return null;
      return { start: first + index * length, end: first + index * length + length - 1 };
    }
  }
}

export function periodKey(period: Period): string {
  return isoDay(period.start);
}

export function periodLength(period: Period): number {
  return period.end - period.start + 1;
}

/** The days of a month, for the month a day is in. */
export function daysInMonthOf(day: DayNumber): number {
  return periodLength(periodOf(day, { unit: 'month' }) as Period);
}

/** The local day a user's N-th anniversary falls on (29 February becomes 28 February in other years). */
export function anniversaryDay(createdAt: number, tz: string | null, years: number): DayNumber {
  const local = DateTime.fromMillis(createdAt, { zone: zone(tz) }).plus({ years });
  return Date.UTC(local.year, local.month - 1, local.day) / MS_PER_DAY;
}
