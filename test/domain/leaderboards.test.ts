import { describe, expect, it } from 'vitest';
import { dayNumber, isoDay } from '../../src/domain/calendar.js';
import { displayStatus, type Leaderboard, lastFinishedDay, runOf, runsEnded } from '../../src/domain/leaderboards.js';

const d = dayNumber;
const show = (run: ReturnType<typeof runOf>) => run && [isoDay(run.start), run.end === null ? null : isoDay(run.end)];

describe('leaderboard runs', () => {
  it('has one run from start to end without a run unit', () => {
    const lb = { startDay: d('2026-01-10'), endDay: null, runUnit: null, runInterval: null };
    expect(show(runOf(lb, d('2026-06-01')))).toEqual(['2026-01-10', null]);
    expect(runOf(lb, d('2026-01-09'))).toBeNull();
  });

  it('repeats every N days, months or years from the start', () => {
    expect(show(runOf({ startDay: d('2026-03-01'), endDay: null, runUnit: 'day', runInterval: 7 }, d('2026-03-16')))).toEqual([
      '2026-03-15',
      '2026-03-21',
    ]);
    expect(show(runOf({ startDay: d('2026-01-31'), endDay: null, runUnit: 'month', runInterval: 1 }, d('2026-03-05')))).toEqual([
      '2026-02-28',
      '2026-03-30',
    ]);
    expect(show(runOf({ startDay: d('2026-01-01'), endDay: null, runUnit: 'month', runInterval: 3 }, d('2026-05-20')))).toEqual([
      '2026-04-01',
      '2026-06-30',
    ]);
    expect(show(runOf({ startDay: d('2024-07-01'), endDay: d('2027-01-15'), runUnit: 'year', runInterval: 1 }, d('2026-12-31')))).toEqual([
      '2026-07-01',
      '2027-01-15',
    ]);
  });

  it('is scheduled, active or finished by its dates', () => {
    const lb = { startDay: d('2026-03-01'), endDay: d('2026-03-31') };
    expect(displayStatus(lb, d('2026-02-28'))).toBe('scheduled');
    expect(displayStatus(lb, d('2026-03-31'))).toBe('active');
    expect(displayStatus(lb, d('2026-04-01'))).toBe('finished');
  });

  it('finishes a run at 13:00 UTC the day after its last day, and lists the runs that ended in a span', () => {
    expect(isoDay(lastFinishedDay(Date.parse('2026-03-02T12:59:59Z')))).toBe('2026-02-28');
    expect(isoDay(lastFinishedDay(Date.parse('2026-03-02T13:00:00Z')))).toBe('2026-03-01');
    const lb = {
      rankBy: 'metric',
      startDay: d('2026-01-31'),
      endDay: d('2026-05-10'),
      runUnit: 'month',
      runInterval: 1,
    } as Leaderboard;
    const ended = (since: string, until: string) => runsEnded(lb, d(since), d(until)).map(show);
    expect(ended('2026-03-01', '2026-05-20')).toEqual([
      ['2026-02-28', '2026-03-30'],
      ['2026-03-31', '2026-04-29'],
      ['2026-04-30', '2026-05-10'],
    ]);
    expect(ended('2026-03-31', '2026-04-28')).toEqual([]);
    expect(runsEnded({ ...lb, runUnit: null }, d('2026-05-10'), d('2026-05-10')).map(show)).toEqual([['2026-01-31', '2026-05-10']]);
    expect(runsEnded({ ...lb, endDay: null, runUnit: null }, d('2026-01-01'), d('2027-01-01'))).toEqual([]);
  });
});
