import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { LaurelError } from '../../domain/errors.js';
import { achievementAnalytics, backfillPreview, previewAchievement } from '../../engine/achievement-insights.js';
import type { EngineContext } from '../../engine/context.js';
import type { AchievementInput } from '../../engine/manage-achievements.js';
import { localeOf } from '../locale.js';
import { CreateAchievementBody } from '../schemas/achievements.js';
import { ErrorBody, KeyParams } from '../schemas/common.js';
import { AchievementAnalyticsSchema, AchievementPreviewSchema, BackfillPreviewSchema } from '../schemas/insights.js';
import { validatorCompiler } from '../validation.js';

/** The dashboard's questions about achievements: a draft's condition, what activation would grant, analytics. */
export const adminInsightRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  // A draft is checked against the same schema as a create, but its problems are answered, not thrown.
  const checkDraft = validatorCompiler({
    schema: CreateAchievementBody,
    httpPart: 'body',
    method: 'POST',
    url: '/admin/v1/achievements',
  }) as (data: unknown) => { value?: unknown; error?: LaurelError };

  app.post(
    '/achievements/preview',
    {
      schema: {
        tags: ['Admin: achievements'],
        summary: "A draft's condition text and problems, without saving it",
        description:
          'Takes the body of a create (name may be left empty; send the key to preview an edit of an existing achievement). ' +
          'Answers the condition as users would read it, per tier too, and what saving would refuse (problems, each naming its field).',
        body: Type.Object({}, { additionalProperties: true }),
        response: { 200: AchievementPreviewSchema },
      },
    },
    async (request) => {
      const draft = request.body as Record<string, unknown>;
      const named = { ...draft, name: typeof draft.name === 'string' && draft.name.trim() !== '' ? draft.name : 'Untitled' };
      const checked = checkDraft(named);
      if (checked.error) {
        const e = checked.error;
        return {
          condition: null,
          tiers: [],
          problems: [{ code: e.code, error: e.message, ...(e.field ? { field: e.field } : {}) }],
          warnings: [],
        };
      }
      return previewAchievement(ctx, request.principal, draft as AchievementInput, localeOf(request));
    },
  );

  app.get(
    '/achievements/:key/backfill-preview',
    {
      schema: {
        tags: ['Admin: achievements'],
        summary: 'How many users would receive the achievement silently if it went live now',
        description:
          'Counted in SQL from running totals: users who meet a tier (or the single step) and do not hold it yet. ' +
          'supported is false (and users null) where Laurel cannot count in advance (rolling windows, period goals).',
        params: KeyParams,
        response: {
          200: BackfillPreviewSchema,
          404: ErrorBody,
        },
      },
    },
    async (request) => backfillPreview(ctx, request.principal, request.params.key),
  );

  app.get(
    '/achievements/:key/analytics',
    {
      schema: {
        tags: ['Admin: achievements'],
        summary: 'Users per stage of progress, unlocks per day and the latest unlocks of one achievement',
        params: KeyParams,
        querystring: Type.Object(
          {
            days: Type.Optional(
              Type.Integer({ minimum: 1, maximum: 365, default: 30, description: 'Days of unlocks per day, up to today (UTC)' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: AchievementAnalyticsSchema,
          404: ErrorBody,
          422: ErrorBody,
        },
      },
    },
    async (request) =>
      achievementAnalytics(ctx, request.principal, request.params.key, { days: request.query.days ?? 30, locale: localeOf(request) }),
  );
};
