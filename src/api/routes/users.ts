import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { EngineContext } from '../../engine/context.js';
import { getPreferences, updatePreferences } from '../../engine/manage-preferences.js';
import { deleteTarget, listTargets, setTarget } from '../../engine/manage-targets.js';
import { getUser, saveUser } from '../../engine/manage-users.js';
import { userAchievements } from '../../engine/read-achievements.js';
import { userActivity } from '../../engine/read-activity.js';
import { userLeaderboard } from '../../engine/read-leaderboards.js';
import { userPoints } from '../../engine/read-points.js';
import { userStreak } from '../../engine/read-streak.js';
import { metricEventSummary, pointsEventSummary, userMetrics } from '../../engine/read-user-metrics.js';
import { userWrapped } from '../../engine/read-wrapped.js';
import { localeOf } from '../locale.js';
import { UserAchievementSchema } from '../schemas/achievement-view.js';
import { ActivityQuery, UserAchievementsQuery } from '../schemas/achievements.js';
import { ActivityPageSchema } from '../schemas/activity-view.js';
import { ErrorBody, IdParams, Int, Key, UserId, UserPointsParams, Value } from '../schemas/common.js';
import { UserLeaderboardSchema } from '../schemas/leaderboard-view.js';
import { SummaryPointSchema, UserMetricSchema } from '../schemas/metric-view.js';
import { UserPointsSchema } from '../schemas/points-view.js';
import { UserStreakSchema } from '../schemas/streak-view.js';
import { PreferencesViewSchema, TargetViewSchema, UserViewSchema } from '../schemas/user-view.js';
import { UserFields, UserRef } from '../schemas/users.js';
import { WrappedSchema } from '../schemas/wrapped-view.js';
import { MEMBER_ROUTE, MEMBER_SECURITY } from '../widget-access.js';

export const userRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.post(
    '/users',
    {
      schema: {
        tags: ['Users'],
        summary: 'Create a user',
        body: UserRef,
        response: { 201: UserViewSchema, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => reply.status(201).send((await saveUser(ctx, request.principal, request.body, 'create')).user),
  );

  app.get(
    '/users/:id',
    {
      // Not a member route: the record holds email, device tokens and attributes, and no widget shows it.
      schema: {
        tags: ['Users'],
        summary: 'Get a user',
        params: IdParams,
        response: { 200: UserViewSchema, 404: ErrorBody },
      },
    },
    async (request) => getUser(ctx, request.principal, request.params.id),
  );

  app.put(
    '/users/:id',
    {
      schema: {
        tags: ['Users'],
        summary: 'Identify a user (create or update)',
        params: IdParams,
        body: UserFields,
        response: { 200: UserViewSchema, 422: ErrorBody },
      },
    },
    async (request) => (await saveUser(ctx, request.principal, { ...request.body, id: request.params.id }, 'upsert')).user,
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['Users'],
        summary: 'Update a user',
        params: IdParams,
        body: UserFields,
        response: { 200: UserViewSchema, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => (await saveUser(ctx, request.principal, { ...request.body, id: request.params.id }, 'update')).user,
  );

  app.get(
    '/users/:id/achievements',
    {
      ...MEMBER_ROUTE,
      schema: {
        security: MEMBER_SECURITY,
        tags: ['Users'],
        summary: "A user's achievements",
        description: 'Unlocked ones with achievedAt and tier; with includeIncomplete=true also the rest, with progress.',
        params: IdParams,
        querystring: UserAchievementsQuery,
        response: { 200: Type.Array(UserAchievementSchema), 404: ErrorBody },
      },
    },
    async (request) =>
      userAchievements(ctx, request.principal, request.params.id, {
        includeIncomplete: request.query.includeIncomplete === 'true',
        locale: localeOf(request),
      }),
  );

  app.get(
    '/users/:id/activity',
    {
      schema: {
        tags: ['Users'],
        summary: "A user's achievement activity, newest first",
        params: IdParams,
        querystring: ActivityQuery,
        response: { 200: ActivityPageSchema, 404: ErrorBody },
      },
    },
    async (request) =>
      userActivity(ctx, request.principal, request.params.id, {
        limit: request.query.limit ?? 20,
        cursor: request.query.cursor,
        locale: localeOf(request),
      }),
  );

  app.get(
    '/users/:id/points/:key',
    {
      ...MEMBER_ROUTE,
      schema: {
        security: MEMBER_SECURITY,
        tags: ['Users'],
        summary: "A user's points in one points system",
        params: UserPointsParams,
        querystring: Type.Object({ awards: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })) }),
        response: { 200: UserPointsSchema, 404: ErrorBody },
      },
    },
    async (request) =>
      userPoints(ctx, request.principal, request.params.id, request.params.key, {
        awards: request.query.awards ?? 10,
        locale: localeOf(request),
      }),
  );

  app.get(
    '/users/:id/streak',
    {
      ...MEMBER_ROUTE,
      schema: {
        security: MEMBER_SECURITY,
        tags: ['Users'],
        summary: "A user's streak (the primary one unless named)",
        params: IdParams,
        querystring: Type.Object({
          historyPeriods: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 7 })),
          streak: Type.Optional(Type.String({ description: 'A streak key (default: the primary streak)' })),
        }),
        response: { 200: UserStreakSchema, 404: ErrorBody },
      },
    },
    async (request) =>
      userStreak(ctx, request.principal, request.params.id, {
        historyPeriods: request.query.historyPeriods ?? 7,
        streak: request.query.streak,
      }),
  );

  const TargetParams = Type.Object({ id: UserId(), metric: Key('Metric key') });

  app.put(
    '/users/:id/targets/:metric',
    {
      schema: {
        tags: ['Users'],
        summary: "Set a user's target for a metric",
        description: 'Goals with targetPercent compare against it, prorated by days to their period.',
        params: TargetParams,
        body: Type.Object(
          {
            value: Value('Greater than 0'),
            per: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]),
          },
          { additionalProperties: false },
        ),
        response: { 200: TargetViewSchema, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => setTarget(ctx, request.principal, request.params.id, request.params.metric, request.body),
  );

  app.get(
    '/users/:id/targets',
    {
      schema: {
        tags: ['Users'],
        summary: "A user's targets",
        params: IdParams,
        response: { 200: Type.Array(TargetViewSchema), 404: ErrorBody },
      },
    },
    async (request) => listTargets(ctx, request.principal, request.params.id),
  );

  app.delete(
    '/users/:id/targets/:metric',
    {
      schema: {
        tags: ['Users'],
        summary: "Remove a user's target",
        params: TargetParams,
        response: { 204: Type.Null({ description: 'The target is removed; no body' }), 404: ErrorBody },
      },
    },
    async (request, reply) => {
      await deleteTarget(ctx, request.principal, request.params.id, request.params.metric);
      return reply.status(204).send(null);
    },
  );

  const Summary = Type.Object({
    aggregation: Type.Union([Type.Literal('daily'), Type.Literal('weekly'), Type.Literal('monthly')]),
    startDate: Type.String({ description: 'YYYY-MM-DD' }),
    endDate: Type.String({ description: 'YYYY-MM-DD; at most 400 days after startDate' }),
  });

  app.get(
    '/users/:id/metrics',
    {
      schema: {
        tags: ['Users'],
        summary: "A user's total of every active metric, with the metric's achievements",
        params: IdParams,
        response: { 200: Type.Array(UserMetricSchema), 404: ErrorBody },
      },
    },
    async (request) => userMetrics(ctx, request.principal, request.params.id, localeOf(request)),
  );

  app.get(
    '/users/:id/metrics/:key',
    {
      schema: {
        tags: ['Users'],
        summary: "A user's total of one metric",
        params: UserPointsParams,
        response: { 200: UserMetricSchema, 404: ErrorBody },
      },
    },
    async (request) => (await userMetrics(ctx, request.principal, request.params.id, localeOf(request), request.params.key))[0],
  );

  app.get(
    '/users/:id/metrics/:key/event-summary',
    {
      schema: {
        tags: ['Users'],
        summary: "A user's metric over time, per day, week or month of their calendar",
        params: UserPointsParams,
        querystring: Summary,
        response: { 200: Type.Array(SummaryPointSchema), 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => metricEventSummary(ctx, request.principal, request.params.id, request.params.key, request.query),
  );

  app.get(
    '/users/:id/points/:key/event-summary',
    {
      schema: {
        tags: ['Users'],
        summary: "A user's points over time, per day, week or month of their calendar",
        params: UserPointsParams,
        querystring: Summary,
        response: { 200: Type.Array(SummaryPointSchema), 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => pointsEventSummary(ctx, request.principal, request.params.id, request.params.key, request.query),
  );

  const Channels = Type.Array(Type.Union([Type.Literal('email'), Type.Literal('push')]));

  app.get(
    '/users/:id/preferences',
    {
      schema: {
        tags: ['Users'],
        summary: "A user's notification preferences",
        params: IdParams,
        response: { 200: PreferencesViewSchema, 404: ErrorBody },
      },
    },
    async (request) => getPreferences(ctx, request.principal, request.params.id),
  );

  app.patch(
    '/users/:id/preferences',
    {
      schema: {
        tags: ['Users'],
        summary: "Change a user's notification preferences",
        params: IdParams,
        body: Type.Object({
          notifications: Type.Optional(
            Type.Object(
              {
                achievement_completed: Type.Optional(Channels),
                recap: Type.Optional(Channels),
                reactivation: Type.Optional(Channels),
                streak_reminder: Type.Optional(Channels),
              },
              { additionalProperties: false },
            ),
          ),
        }),
        response: { 200: PreferencesViewSchema, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => updatePreferences(ctx, request.principal, request.params.id, request.body.notifications ?? {}),
  );

  app.get(
    '/users/:id/leaderboards/:key',
    {
      ...MEMBER_ROUTE,
      schema: {
        security: MEMBER_SECURITY,
        tags: ['Users'],
        summary: "A user's rank, value and daily history on a leaderboard",
        params: UserPointsParams,
        querystring: Type.Object({
          run: Type.Optional(Type.String({ description: 'A date in the run (YYYY-MM-DD); default: the current run' })),
          numEvents: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 10 })),
        }),
        response: { 200: UserLeaderboardSchema, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) =>
      userLeaderboard(ctx, request.principal, request.params.id, request.params.key, {
        run: request.query.run,
        numEvents: request.query.numEvents ?? 10,
      }),
  );

  app.get(
    '/users/:id/wrapped',
    {
      schema: {
        tags: ['Users'],
        summary: "A user's year in review",
        params: IdParams,
        querystring: Type.Object({ year: Type.Optional(Int('Calendar year', { minimum: 1 })) }),
        response: { 200: WrappedSchema, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => userWrapped(ctx, request.principal, request.params.id, { year: request.query.year, locale: localeOf(request) }),
  );
};
