/**
 * Each community's achievements, metrics and points systems, compiled into rules and kept in
 * memory. A version number on the community row says when to reload, so several processes on one
 * database see each other's changes on their next request.
 */
import type { Community } from '../domain/community.js';
import type { ConditionLookup } from '../domain/condition-text.js';
import type { Leaderboard } from '../domain/leaderboards.js';
import { translated } from '../domain/locale.js';
import type { PointsSystem } from '../domain/points.js';
import { compileTriggers, type PointsTrigger } from '../domain/points-triggers.js';
import { compileRules, type RuleSet } from '../domain/rules.js';
import type { Team } from '../domain/team.js';
import type { StoredStreak } from '../store/mappers.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { Logger } from './context.js';

export interface CommunityConfig {
  version: number;
  community: Community;
  rules: RuleSet;
  /** The same metrics with no achievements, for when a community has switched achievements off. */
  inactiveRules: RuleSet;
  pointsSystemsByKey: ReadonlyMap<string, PointsSystem>;
  pointsSystemsById: ReadonlyMap<string, PointsSystem>;
  /** Every streak definition, archived ones included (rules hold only the active ones). */
  streaks: readonly StoredStreak[];
  /** Active leaderboards (the ones events update). */
  leaderboards: readonly Leaderboard[];
  /** Every leaderboard, by key. */
  leaderboardsByKey: ReadonlyMap<string, Leaderboard>;
  /** Every points trigger, by id, inactive ones included. */
  triggersById: ReadonlyMap<string, PointsTrigger>;
  /** Every team, archived ones included, by key: events naming teams are checked against it. */
  teamsByKey: ReadonlyMap<string, Team>;
  lookup: ConditionLookup;
}

export class CommunityConfigCache {
  private readonly cached = new Map<string, CommunityConfig>();
  /** When `recent` last asked the database for each community's version. */
  private readonly checkedAt = new Map<string, number>();
  private readonly checking = new Map<string, Promise<CommunityConfig>>();

  constructor(private readonly log: Logger) {}

  /**
   * The configuration as last seen, if `recent` checked it less than `maxAgeMs` before `now`; else
   * as `get` finds it. For checks on every request (rate limits) that can act on a view a moment
   * old rather than ask the database each time.
   */
  async recent(repos: Repositories, tenant: Tenant, now: number, maxAgeMs: number): Promise<CommunityConfig> {
    const id = tenant.communityId;
    const hit = this.cached.get(id);
    const at = this.checkedAt.get(id);
    if (hit && at !== undefined && now - at < maxAgeMs) return hit;
    // Requests arriving together share one check instead of each asking the database.
    let pending = this.checking.get(id);
    if (!pending) {
      pending = this.get(repos, tenant)
        .then((fresh) => {
          this.checkedAt.set(id, now);
          return fresh;
        })
        .finally(() => this.checking.delete(id));
      this.checking.set(id, pending);
    }
    return pending;
  }

  /** The community's configuration as of `repos`' view of the database. */
  async get(repos: Repositories, tenant: Tenant): Promise<CommunityConfig> {
    const version = await repos.communities.configVersion(tenant.communityId);
    const hit = this.cached.get(tenant.communityId);
    if (hit && hit.version === version) return hit;
    const fresh = await this.load(repos, tenant);
    this.cached.set(tenant.communityId, fresh);
    return fresh;
  }

  private async load(repos: Repositories, tenant: Tenant): Promise<CommunityConfig> {
    const [community, achievements, metrics, pointsSystems, streaks, triggers, leaderboards, teams] = await Promise.all([
      repos.communities.get(tenant.communityId),
      repos.achievements.list(tenant),
      repos.metrics.list(tenant),
      repos.pointsSystems.list(tenant),
      repos.streaks.list(tenant),
      repos.pointsTriggers.list(tenant),
      repos.leaderboards.list(tenant),
      repos.teams.list(tenant),
    ]);
    if (!community) throw new Error(`Community ${tenant.communityId} does not exist`);
    const activeStreaks = streaks.filter((s) => s.status === 'active');
    const activeSystems = new Set(pointsSystems.filter((p) => p.status === 'active').map((p) => p.id));
    const rules = compileRules(achievements, metrics, activeStreaks, compileTriggers(triggers, activeSystems));
    for (const [id, issues] of rules.health) {
      const achievement = rules.achievementsById.get(id);
      if (achievement?.status !== 'active') continue;
      this.log.warn(
        { achievement: achievement.key, issues: issues.map((i) => i.message) },
        'Skipping achievement with a dangling reference',
      );
    }
    return {
      version: community.configVersion,
      community,
      rules,
      inactiveRules: compileRules([], metrics, activeStreaks),
      pointsSystemsByKey: new Map(pointsSystems.map((p) => [p.key, p])),
      pointsSystemsById: new Map(pointsSystems.map((p) => [p.id, p])),
      streaks,
      triggersById: new Map(triggers.map((t) => [t.id, t])),
      leaderboards: leaderboards.filter((l) => l.status === 'active'),
      leaderboardsByKey: new Map(leaderboards.map((l) => [l.key, l])),
      teamsByKey: new Map(teams.map((t) => [t.key, t])),
      lookup: {
        metric: (key) => rules.metricsByKey.get(key),
        streak: (key) => (key === undefined ? (rules.primaryStreak ?? undefined) : streaks.find((s) => s.key === key)),
        achievementName: (key, locale) => {
          const a = rules.achievementsByKey.get(key);
          return a && translated(a.name, a.translations, locale, 'name');
        },
      },
    };
  }
}
