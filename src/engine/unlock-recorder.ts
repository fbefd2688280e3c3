/**
 * Turns unlock decisions into what gets written (awards, points, stats) and what the caller is
 * told (the unlocked achievement with its tier and the rewards it paid). Shared by every use case
 * that unlocks on the spot: events and API completions.
 */
import type { Static } from 'typebox';
import type { UnlockedAchievementSchema } from '../api/schemas/event-response.js';
import type { PointsChangeViewSchema } from '../api/schemas/points-view.js';
import type { TriggerFiring, UnlockDecision } from '../domain/evaluate.js';
import { type Locale, translated } from '../domain/locale.js';
import { addPoints, levelFor, pointsBySystem } from '../domain/points.js';
import type { NewAward, NewPointsAward, PointsDelta, StatsDelta } from '../store/ingest/ingest-store.js';
import type { CommunityConfig } from './community-config.js';
import type { Logger } from './context.js';
import { timeOrderedId } from './ids.js';
import {
  achievementView,
  iso,
  levelView,
  type PointsAwardRecordLike,
  pointsAwardView,
  pointsSystemHeader,
  type RewardView,
  rewardViews,
} from './presenters.js';

/** An achievement a request unlocked, with the tier it reached and the rewards it paid. */
export type UnlockView = Static<typeof UnlockedAchievementSchema>;

/** Trophy's MetricEventPointsResponse: one points system's change caused by one request. */
export type PointsChangeView = Static<typeof PointsChangeViewSchema>;

/** What the recorded unlocks and firings write. */
export interface UnlockWrites {
  awards: NewAward[];
  pointsAwards: NewPointsAward[];
  points: PointsDelta[];
  stats: StatsDelta[];
}

export class UnlockRecorder {
  private readonly awards: NewAward[] = [];
  private readonly pointsAwards: NewPointsAward[] = [];
  private readonly pointsDeltas = new Map<string, PointsDelta>();
  private readonly statsDeltas = new Map<string, StatsDelta>();

  constructor(
    private readonly config: CommunityConfig,
    private readonly locale: Locale,
    private readonly log: Logger,
    private readonly now: number,
  ) {}

  /**
   * Records one unlock for one user. `userPoints` is that user's points by system id, updated in
   * place; `pointsOut` collects the points changes of the request being answered.
   */
  record(
    userId: string,
    decision: UnlockDecision,
    eventId: string | null,
    userPoints: Map<string, number>,
    pointsOut: Record<string, PointsChangeView>,
  ): UnlockView {
    const a = decision.achievement;
    const at = decision.at;
    const awardId = timeOrderedId(this.now);
    const paid: RewardView[] = [];
    for (const reward of rewardViews(decision.rewards, badgeOf(decision))) {
      if (reward.type !== 'points') paid.push(reward);
    }
    for (const [systemKey, amount] of pointsBySystem(decision.rewards)) {
      const system = this.config.pointsSystemsByKey.get(systemKey);
      if (system?.status !== 'active') {
        this.log.warn({ achievement: a.key, system: systemKey }, 'Points reward skipped: the points system is gone');
        continue;
      }
      const added = this.pay(
        userId,
        system.id,
        amount,
        { triggerType: 'reward', triggerId: a.id, awardId },
        eventId,
        at,
        userPoints,
        pointsOut,
      );
      paid.push({ type: 'points', system: systemKey, amount: added });
    }

    this.awards.push({
      id: awardId,
      userId,
      achievementId: a.id,
      tierKey: decision.tierKey,
      periodKey: decision.periodKey,
      achievedAt: at,
      eventId,
      source: decision.source,
      rewards: paid,
    });
    const stats = this.statsDeltas.get(a.id) ?? { achievementId: a.id, completions: 0, unlocks: 0 };
    stats.unlocks += 1;
    if (decision.firstForUser) stats.completions += 1;
    this.statsDeltas.set(a.id, stats);

    const tier = decision.tierIndex === null ? undefined : a.tiers[decision.tierIndex];
    const view = achievementView(a, this.config, this.locale);
    return {
      ...view,
      // The shared view names the first tier's threshold; an unlock names the one it reached.
      ...(tier && view.metricValue !== undefined ? { metricValue: tier.threshold } : {}),
      ...(tier && view.streakLength !== undefined ? { streakLength: tier.threshold } : {}),
      achievedAt: iso(at),
      completionId: awardId,
      completionCount: decision.completionCount,
      tier: tier ? { key: tier.key, name: translated(tier.name, tier.translations, this.locale, 'name'), threshold: tier.threshold } : null,
      rewards: paid,
      source: decision.source,
    };
  }

  /** Pays a points trigger that fired. */
  recordFiring(
    userId: string,
    firing: TriggerFiring,
    eventId: string | null,
    userPoints: Map<string, number>,
    pointsOut: Record<string, PointsChangeView>,
  ): void {
    const { trigger } = firing;
    this.pay(
      userId,
      trigger.systemId,
      trigger.points * firing.times,
      { triggerType: trigger.type, triggerId: trigger.id, awardId: null },
      eventId,
      firing.at,
      userPoints,
      pointsOut,
    );
  }

  /** Adds points to one system (capped by its maximum) and records the award; returns what was added. */
  private pay(
    userId: string,
    systemId: string,
    amount: number,
    source: { triggerType: PointsAwardRecordLike['triggerType']; triggerId: string; awardId: string | null },
    eventId: string | null,
    at: number,
    userPoints: Map<string, number>,
    pointsOut: Record<string, PointsChangeView>,
  ): number {
    const system = this.config.pointsSystemsById.get(systemId);
    if (!system) return 0;
    const before = userPoints.get(system.id) ?? 0;
    const { total, added } = addPoints(before, amount, system.maxPoints, `the ${system.key} points balance of user "${userId}"`);
    if (added <= 0) return 0;
    userPoints.set(system.id, total);
    const pointsAwardId = timeOrderedId(this.now);
    this.pointsAwards.push({
      id: pointsAwardId,
      userId,
      systemId: system.id,
      amount: added,
      totalAfter: total,
      triggerType: source.triggerType,
      triggerId: source.triggerId,
      awardId: source.awardId,
      eventId,
      createdAt: at,
    });
    const deltaKey = `${userId}\u0000${system.id}`;
    const delta = this.pointsDeltas.get(deltaKey);
    if (delta) delta.amount += added;
    else this.pointsDeltas.set(deltaKey, { userId, systemId: system.id, amount: added });

    // Own properties only: a system keyed "toString" must not find Object.prototype's.
    const change = Object.hasOwn(pointsOut, system.key)
      ? (pointsOut[system.key] as PointsChangeView)
      : (pointsOut[system.key] = { ...pointsSystemHeader(system), total: before, added: 0, awards: [] });
    const levelBefore = levelFor(system.levels, change.total - change.added);
    change.total = total;
    change.added += added;
    const levelAfter = levelFor(system.levels, total);
    if (levelAfter?.id !== levelBefore?.id) change.level = levelView(levelAfter);
    change.awards.push(
      pointsAwardView({ id: pointsAwardId, amount: added, totalAfter: total, createdAt: at, ...source }, this.config, this.locale),
    );
    return added;
  }

  changes(): UnlockWrites {
    return {
      awards: this.awards,
      pointsAwards: this.pointsAwards,
      points: [...this.pointsDeltas.values()],
      stats: [...this.statsDeltas.values()],
    };
  }
}

function badgeOf(decision: UnlockDecision): string | null {
  const tier = decision.tierIndex === null ? undefined : decision.achievement.tiers[decision.tierIndex];
  return tier?.badgeUrl ?? decision.achievement.badgeUrl;
}
