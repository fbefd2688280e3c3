/**
 * Keeps leaderboards up to date as a batch applies: collects each user's change per leaderboard,
 * then, in the same transaction, writes them, works out ranks (bounded by the leaderboard's size),
 * records the day's movement, and puts rank, previous rank and threshold into the responses.
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
  /** Response maps (by leaderboard key) to fill once ranks are known. */
  targets: Record<string, EventLeaderboardView>[];
}

export class LeaderboardTracker {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly config: CommunityConfig) {}

  /** Whether the community has any active leaderboard (nothing to track otherwise). */
  get active(): boolean {
    return this.config.leaderboards.length > 0;
  }

  onMetric(
    userId: string,
    attributes: Record<string, string>,
    metricId: string,
    day: DayNumber,
    value: number,
    out: Record<string, EventLeaderboardView>,
  ): void {
    for (const lb of this.config.leaderboards)
      if (lb.rankBy === 'metric' && lb.metricId === metricId) this.add(lb, userId, attributes, day, value, false, out);
  }

  onPoints(
    userId: string,
    attributes: Record<string, string>,
    systemId: string,
    day: DayNumber,
    added: number,
    out: Record<string, EventLeaderboardView>,
  ): void {
    for (const lb of this.config.leaderboards)
      if (lb.rankBy === 'points' && lb.pointsSystemId === systemId) this.add(lb, userId, attributes, day, added, false, out);
  }

  onStreak(
    userId: string,
    attributes: Record<string, string>,
    streakId: string,
    day: DayNumber,
    length: number,
    out: Record<string, EventLeaderboardView>,
  ): void {
    for (const lb of this.config.leaderboards) {
      const own = lb.streakId ?? this.config.rules.primaryStreak?.id;
      if (lb.rankBy === 'streak' && own === streakId) this.add(lb, userId, attributes, day, length, true, out);
    }
  }

  private add(
    lb: Leaderboard,
    userId: string,
    attributes: Record<string, string>,
    day: DayNumber,
    value: number,
    absolute: boolean,
    out: Record<string, EventLeaderboardView>,
  ): void {
    const run = lb.rankBy === 'streak' ? { start: lb.startDay, end: lb.endDay } : runOf(lb, day);
    if (!run) return;
    const group = lb.breakdownAttribute === null ? '' : attributeOf(attributes, lb.breakdownAttribute);
    const key = { leaderboardId: lb.id, run: run.start, group, userId };
    const id = entryId(key);
    const existing = this.pending.get(id);
    if (existing) {
      existing.change.value = absolute ? value : existing.change.value + value;
      existing.targets.push(out);
      return;
    }
    this.pending.set(id, { lb, change: { ...key, value, absolute }, runEnd: run.end, day, targets: [out] });
  }

  async flush(tx: Repositories, tenant: Tenant, now: number, today: DayNumber): Promise<void> {
    if (this.pending.size === 0) return;
    const all = [...this.pending.values()];
    const before = await tx.leaderboards.values(all.map((p) => p.change));
    const valueAfter = (p: Pending) => (p.change.absolute ? p.change.value : (before.get(entryId(p.change)) ?? 0) + p.change.value);
    for (const p of all) checkedTotal(valueAfter(p), `user "${p.change.userId}"'s value on leaderboard ${p.lb.key}`);
    const previousRanks = new Map<string, number | null>();
    for (const p of all) {
      const previous = before.get(entryId(p.change));
      previousRanks.set(
        entryId(p.change),
        previous === undefined ? null : await tx.leaderboards.rankOf(p.change, previous, p.lb.maxParticipants),
      );
    }
    await tx.leaderboards.apply(
      tenant,
      all.map((p) => p.change),
      now,
    );
    for (const p of all) {
      const id = entryId(p.change);
      const previousValue = before.get(id) ?? null;
      const value = valueAfter(p);
      const rank = await tx.leaderboards.rankOf(p.change, value, p.lb.maxParticipants);
      const previousRank = previousRanks.get(id) ?? null;
      const threshold = await tx.leaderboards.threshold(p.change, p.lb.maxParticipants);
      await tx.leaderboards.recordHistory(tenant, {
        leaderboardId: p.lb.id,
        run: p.change.run,
        userId: p.change.userId,
        day: today,
        previousRank,
        rank,
        previousValue,
        value,
      });
      const view: EventLeaderboardView = {
        ...leaderboardView(p.lb, this.config, { start: p.change.run, end: p.runEnd }, today),
        rank,
        previousRank,
        threshold,
        ...(p.lb.breakdownAttribute
          ? { breakdownAttributeValue: p.change.group, breakdownAttributeValues: [{ key: p.lb.breakdownAttribute, value: p.change.group }] }
          : {}),
      };
      for (const target of p.targets) target[p.lb.key] = view;
    }
  }
}
