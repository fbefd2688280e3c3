/**
 * Keeps leaderboards up to date as a batch applies: collects each user's change per leaderboard,
 * then, in the same transaction, writes them, works out ranks (bounded by the leaderboard's size),
 * records the day's movement, and returns, by event, the rank, previous rank and threshold.
 * Within a batch, a user's events on one leaderboard all report the rank after the batch.
 */
import { attributeOf } from '../domain/attribute-filter.js';
import type { DayNumber } from '../domain/calendar.js';
import { type Leaderboard, runOf } from '../domain/leaderboards.js';
import { checkedTotal } from '../domain/values.js';
import { type EntryChange, entryId } from '../store/repositories/leaderboards.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { CommunityConfig } from './community-config.js';
import { type EventLeaderboardView, leaderboardView } from './presenters.js';

interface Pending {
  lb: Leaderboard;
  change: EntryChange;
  runEnd: number | null;
  day: DayNumber;
  /** The events that moved this entry: each is told the entry's standing after the batch. */
  eventIds: string[];
}

export class LeaderboardTracker {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly config: CommunityConfig) {}

  /** Whether the community has any active leaderboard (nothing to track otherwise). */
  get active(): boolean {
    return this.config.leaderboards.length > 0;
  }

  onMetric(userId: string, attributes: Record<string, string>, metricId: string, day: DayNumber, value: number, eventId: string): void {
    for (const lb of this.config.leaderboards)
      if (lb.rankBy === 'metric' && lb.metricId === metricId) this.add(lb, userId, attributes, day, value, false, eventId);
  }

  onPoints(userId: string, attributes: Record<string, string>, systemId: string, day: DayNumber, added: number, eventId: string): void {
    for (const lb of this.config.leaderboards)
      if (lb.rankBy === 'points' && lb.pointsSystemId === systemId) this.add(lb, userId, attributes, day, added, false, eventId);
  }

  onStreak(userId: string, attributes: Record<string, string>, streakId: string, day: DayNumber, length: number, eventId: string): void {
    for (const lb of this.config.leaderboards) {
      const own = lb.streakId ?? this.config.rules.primaryStreak?.id;
      if (lb.rankBy === 'streak' && own === streakId) this.add(lb, userId, attributes, day, length, true, eventId);
    }
  }

  private add(
    lb: Leaderboard,
    userId: string,
    attributes: Record<string, string>,
    day: DayNumber,
    value: number,
    absolute: boolean,
    eventId: string,
  ): void {
    const run = lb.rankBy === 'streak' ? { start: lb.startDay, end: lb.endDay } : runOf(lb, day);
    if (!run) return;
    const group = lb.breakdownAttribute === null ? '' : attributeOf(attributes, lb.breakdownAttribute);
    const key = { leaderboardId: lb.id, run: run.start, group, userId };
    const id = entryId(key);
    const existing = this.pending.get(id);
    if (existing) {
      existing.change.value = absolute ? value : existing.change.value + value;
      existing.eventIds.push(eventId);
      return;
    }
    this.pending.set(id, { lb, change: { ...key, value, absolute }, runEnd: run.end, day, eventIds: [eventId] });
  }

  /**
   * Writes the batch's changes (a fixed number of statements, whatever their number) and returns,
   * by event id, the standings of the leaderboards each event moved, by leaderboard key.
   */
  async flush(tx: Repositories, tenant: Tenant, now: number, today: DayNumber): Promise<Map<string, Record<string, EventLeaderboardView>>> {
    const standings = new Map<string, Record<string, EventLeaderboardView>>();
    if (this.pending.size === 0) return standings;
    const all = [...this.pending.values()];
    const before = await tx.leaderboards.values(all.map((p) => p.change));
    const valueAfter = (p: Pending) => (p.change.absolute ? p.change.value : (before.get(entryId(p.change)) ?? 0) + p.change.value);
    for (const p of all) checkedTotal(valueAfter(p), `user "${p.change.userId}"'s value on leaderboard ${p.lb.key}`);
    const existing = all.filter((p) => before.has(entryId(p.change)));
    const ranksBefore = await tx.leaderboards.ranks(
      existing.map((p) => ({ ...p.change, value: before.get(entryId(p.change)) ?? 0, maxParticipants: p.lb.maxParticipants })),
    );
    const previousRanks = new Map(existing.map((p, i) => [entryId(p.change), ranksBefore[i] ?? null]));
    await tx.leaderboards.apply(
      tenant,
      all.map((p) => p.change),
      now,
    );
    const ranks = await tx.leaderboards.ranks(
      all.map((p) => ({ ...p.change, value: valueAfter(p), maxParticipants: p.lb.maxParticipants })),
    );
    // One threshold per leaderboard group the batch touched, at its position in `groups`.
    const groups = new Map<string, number>();
    const groupOf = (p: Pending) => entryId({ ...p.change, userId: '' });
    const distinct: Pending[] = [];
    for (const p of all) if (!groups.has(groupOf(p))) groups.set(groupOf(p), distinct.push(p) - 1);
    const thresholds = await tx.leaderboards.thresholds(distinct.map((p) => ({ ...p.change, maxParticipants: p.lb.maxParticipants })));
    await tx.leaderboards.recordHistory(
      tenant,
      all.map((p, i) => ({
        leaderboardId: p.lb.id,
        run: p.change.run,
        userId: p.change.userId,
        day: today,
        previousRank: previousRanks.get(entryId(p.change)) ?? null,
        rank: ranks[i] ?? null,
        previousValue: before.get(entryId(p.change)) ?? null,
        value: valueAfter(p),
      })),
    );
    all.forEach((p, i) => {
      const view: EventLeaderboardView = {
        ...leaderboardView(p.lb, this.config, { start: p.change.run, end: p.runEnd }, today),
        rank: ranks[i] ?? null,
        previousRank: previousRanks.get(entryId(p.change)) ?? null,
        threshold: thresholds[groups.get(groupOf(p)) ?? -1] ?? 0,
        ...(p.lb.breakdownAttribute
          ? { breakdownAttributeValue: p.change.group, breakdownAttributeValues: [{ key: p.lb.breakdownAttribute, value: p.change.group }] }
          : {}),
      };
      for (const eventId of p.eventIds) {
        let own = standings.get(eventId);
        if (!own) standings.set(eventId, (own = {}));
        own[p.lb.key] = view;
      }
    });
    return standings;
  }
}
