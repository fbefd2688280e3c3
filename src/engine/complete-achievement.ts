/** Completing an API achievement for a user, by its key. */
import type { Static } from 'typebox';
import type { CompletionResponseSchema } from '../api/schemas/completion-response.js';
import { matchesAttributes } from '../domain/attribute-filter.js';
import { raisedBy } from '../domain/built-in-events.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import { achievementFirings, applyCompletion, type UserWorkingState, userCreationFirings } from '../domain/evaluate.js';
import type { Locale } from '../domain/locale.js';
import { heldClosure } from '../domain/rules.js';
import { mergeUser, type UserInput, validateUserInput } from '../domain/user.js';
import type { Tenant } from '../store/tenant.js';
import { announcements } from './announcements.js';
import { announceCelebrations } from './celebrations.js';
import type { EngineContext } from './context.js';
import { applyBuiltIns, mergePoints } from './ingest/apply-built-ins.js';
import { achievementView, iso } from './presenters.js';
import { withRetry } from './retry.js';
import { type PointsChangeView, UnlockRecorder, type UnlockView } from './unlock-recorder.js';
import { loadUserStates } from './user-states.js';

export type CompletionResponse = Static<typeof CompletionResponseSchema>;

export async function completeAchievement(
  ctx: EngineContext,
  tenant: Tenant,
  key: string,
  userInput: UserInput,
  locale: Locale,
): Promise<CompletionResponse> {
  validateUserInput(userInput, 'user');
  const now = ctx.clock.now();
  return withRetry(() =>
    ctx.store.transaction(async (tx) => {
      const config = await ctx.config.get(tx, tenant);
      const achievement = config.rules.achievementsByKey.get(key);
      if (!achievement || achievement.status === 'draft' || achievement.status === 'archived') {
        throw notFound('achievement_not_found', `There is no active achievement "${key}"`, 'key');
      }
      if (achievement.criteria.type !== 'api') {
        throw invalid(
          'not_an_api_achievement',
          `Achievement "${key}" unlocks from ${achievement.criteria.type} criteria and cannot be completed by API`,
          'key',
        );
      }
      if (!config.community.settings.achievementsEnabled) {
        throw conflict('achievements_disabled', 'Achievements are switched off for this community', 'key');
      }
      if (achievement.status === 'locked') {
        throw conflict('achievement_locked', `Achievement "${key}" is locked: it can no longer be earned`, 'key');
      }
      await tx.ingest.lockUsers(tenant, [userInput.id]);
      const existing = await tx.users.get(tenant, userInput.id);
      const merged = mergeUser(existing ?? null, userInput, now);
      if (!matchesAttributes(achievement.filters.user, merged.user.attributes)) {
        throw invalid('user_not_eligible', `User "${userInput.id}" does not match the achievement's user filters`, 'user.attributes');
      }
      if (merged.changed) {
        await tx.ingest.write(tenant, existing ? { updatedUsers: [merged.user] } : { createdUsers: [merged.user] });
      }

      const rules = config.rules;
      const loaded = await loadUserStates(tx, tenant, new Map([[merged.user.id, merged.user]]), {
        userIds: [userInput.id],
        metricIds: [],
        counterIds: [],
        heldIds: [...heldClosure(rules.compositesByRequirement, [achievement.id]), ...rules.baseFootprint.heldIds],
        series: new Map(),
        fromDay: 0,
        streaks: new Map(),
        fromPeriod: 0,
        targets: false,
        achievementsById: rules.achievementsById,
      });
      const state = loaded.get(userInput.id) as UserWorkingState;
      const decisions = applyCompletion(rules, { now, weekStart: config.community.settings.weekStart }, state, achievement);

      if (decisions.length === 0) {
        // A once-only achievement the user already holds: answer with the original completion.
        const [previous] = await tx.awards.forUserAndAchievement(tenant, userInput.id, achievement.id);
        if (!previous) throw new Error(`Award of ${achievement.key} to ${userInput.id} vanished`);
        return {
          completionId: previous.id,
          achievement: {
            ...achievementView(achievement, config, locale),
            achievedAt: iso(previous.achievedAt),
            completionId: previous.id,
          },
          points: {},
          achievements: [],
          alreadyCompleted: true,
        };
      }

      const recorder = new UnlockRecorder(config, locale, ctx.log, now);
      const userPoints = (await tx.ingest.loadPoints(tenant, [userInput.id])).get(userInput.id) ?? new Map<string, number>();
      const before = new Map(userPoints);
      const points: Record<string, PointsChangeView> = {};
      const views = decisions.map((d) => recorder.record(userInput.id, d, null, userPoints, points));
      const firings = [
        ...(existing ? [] : userCreationFirings(rules, merged.user.attributes, now)),
        ...achievementFirings(rules, state, decisions),
      ];
      for (const firing of firings) recorder.recordFiring(userInput.id, firing, null, userPoints, points);
      const outbox = announcements(config, [{ user: merged.user, achievements: views, points, extendedStreak: null }], now);
      announceCelebrations(tx, tenant, outbox);
      await tx.ingest.write(tenant, { ...recorder.changes(), outbox });

      const raised = raisedBy({
        joinedAt: existing ? null : now,
        unlocks: decisions,
        points: [...userPoints].flatMap(([systemId, after]) => {
          const system = config.pointsSystemsById.get(systemId);
          const was = before.get(systemId) ?? 0;
          return system && after !== was ? [{ systemKey: system.key, levels: system.levels, before: was, after, at: now }] : [];
        }),
        streaks: [],
      });
      const more = await applyBuiltIns(ctx, tx, tenant, config, { id: userInput.id }, raised, now, locale);
      mergePoints(points, more.points);
      const own = views[0] as UnlockView;
      return {
        completionId: own.completionId,
        achievement: own,
        points,
        achievements: [...views, ...more.achievements],
        alreadyCompleted: false,
      };
    }),
  );
}
