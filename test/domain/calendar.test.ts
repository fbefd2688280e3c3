import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { dayNumber, isoDay, localDay, periodOf, startOfLocalDay, weekday } from '../../src/domain/calendar.js';

const at = (iso: string) => Date.parse(iso);

describe('calendar', () => {
  it("puts an instant on the local day of the user's time zone", () => {
    expect(isoDay(localDay(at('2026-03-02T23:30:00Z'), 'Asia/Tokyo'))).toBe('2026-03-03');
    expect(isoDay(localDay(at('2026-03-02T23:30:00Z'), 'America/Los_Angeles'))).toBe('2026-03-02');
    expect(isoDay(localDay(at('2026-03-02T18:29:00Z'), 'Asia/Kolkata'))).toBe('2026-03-02');
    expect(isoDay(localDay(at('2026-03-02T18:30:00Z'), 'Asia/Kolkata'))).toBe('2026-03-03');
    expect(isoDay(localDay(at('2026-03-02T23:30:00Z'), null))).toBe('2026-03-02');
  });

  it('treats a DST day as one ordinary day', () => {
    // 2026-03-08 is 23 hours long in New York; both ends of it are the same local day.
    const start = startOfLocalDay(dayNumber('2026-03-08'), 'America/New_York');
    expect(isoDay(localDay(start, 'America/New_York'))).toBe('2026-03-08');
    expect(isoDay(localDay(start + 23 * 3600_000 - 1, 'America/New_York'))).toBe('2026-03-08');
    expect(isoDay(localDay(start + 23 * 3600_000, 'America/New_York'))).toBe('2026-03-09');
  });

  it('agrees with Luxon on the local date for any instant and zone', () => {
    const zones = [
      'UTC',
      'Europe/London',
      'America/New_York',
      'Asia/Kolkata',
      'Australia/Adelaide',
      'Pacific/Chatham',
      'Asia/Kathmandu',
      'America/St_Johns',
    ];
    fc.assert(
      fc.property(fc.integer({ min: at('2020-01-01T00:00:00Z'), max: at('2030-01-01T00:00:00Z') }), fc.constantFrom(...zones), (ms, tz) => {
        expect(isoDay(localDay(ms, tz))).toBe(DateTime.fromMillis(ms, { zone: tz }).toISODate());
      }),
    );
  });

  it("finds weeks from the community's first weekday, months and custom periods", () => {
    const wed = dayNumber('2026-03-04');
    expect(weekday(wed)).toBe(3);
    const monday = periodOf(wed, { unit: 'week' });
    expect([isoDay(monday!.start), isoDay(monday!.end)]).toEqual(['2026-03-02', '2026-03-08']);
    const sunday = periodOf(wed, { unit: 'week' }, 7);
    expect([isoDay(sunday!.start), isoDay(sunday!.end)]).toEqual(['2026-03-01', '2026-03-07']);
    const feb = periodOf(dayNumber('2028-02-15'), { unit: 'month' });
    expect([isoDay(feb!.start), isoDay(feb!.end)]).toEqual(['2028-02-01', '2028-02-29']);
    const sprint = { unit: 'custom' as const, start: dayNumber('2026-01-05'), end: dayNumber('2026-01-18'), repeat: true };
    const third = periodOf(dayNumber('2026-02-03'), sprint);
    expect([isoDay(third!.start), isoDay(third!.end)]).toEqual(['2026-02-02', '2026-02-15']);
    expect(periodOf(dayNumber('2026-01-04'), sprint)).toBeNull();
    expect(periodOf(dayNumber('2026-02-03'), { ...sprint, repeat: false })).toBeNull();
  });

  it('round-trips dates and rejects impossible ones', () => {
    expect(isoDay(dayNumber('2024-02-29'))).toBe('2024-02-29');
    expect(() => dayNumber('2026-02-30')).toThrow(/not a date/);
    expect(() => dayNumber('tomorrow')).toThrow(/not a date/);
  });
});
