/** Achievements as admins see them, and what a change to one answers. */
import Type from 'typebox';
import { AchievementViewSchema } from './achievement-view.js';
import { Celebration, Filters, Translations } from './achievements.js';
import { Filled, Nullable } from './common.js';

export const AchievementStatusSchema = Type.Union(
  [Type.Literal('draft'), Type.Literal('active'), Type.Literal('locked'), Type.Literal('archived')],
  { description: 'draft → active ⇄ locked → archived' },
);

export const AdminAchievementViewSchema = Type.Object(
  {
    ...AchievementViewSchema.properties,
    status: AchievementStatusSchema,
    health: Type.Union([Type.Literal('ok'), Type.Literal('dangling')], {
      description: 'dangling: it names a metric, achievement or streak that is archived or missing',
    }),
    healthIssues: Type.Array(
      Type.Object({
        code: Type.Union(
          [
            Type.Literal('metric_archived'),
            Type.Literal('metric_missing'),
            Type.Literal('requirement_archived'),
            Type.Literal('requirement_missing'),
            Type.Literal('streak_missing'),
          ],
          { description: 'What is wrong' },
        ),
        message: Type.String({ description: 'What is wrong, in words' }),
        field: Type.String({ description: 'The field naming it, e.g. "criteria.metric"' }),
      }),
      { description: 'Why it is dangling; empty when ok' },
    ),
    completions: Type.Integer({ description: 'Users who have completed it' }),
    rarity: Type.Number({ description: 'The percentage of all users who have completed it' }),
    filters: Filled(Filters),
    translations: Translations,
    celebration: Filled(Celebration),
    emailOnUnlock: Type.Boolean({ description: 'Whether unlocking it sends the user an email' }),
    activatedAt: Nullable(Type.String({ description: 'When it last went live, or its count restarted (ISO 8601); null: never' })),
    createdAt: Type.String({ description: 'When it was created (ISO 8601)' }),
    updatedAt: Type.String({ description: 'When it was last changed (ISO 8601)' }),
  },
  { description: 'An achievement with status, health, completions and rarity' },
);

/** Something saving allows but the admin should look at: what a change answers, and a preview foresees. */
export const WarningSchema = Type.Object(
  {
    code: Type.String({ description: 'Stable machine-readable code, e.g. "duplicate_name"' }),
    message: Type.String({ description: 'What to look at, in words' }),
    field: Type.Optional(Type.String({ description: 'The request field concerned' })),
    achievements: Type.Optional(Type.Array(Type.String(), { description: 'Keys of the other achievements concerned' })),
  },
  { description: 'Saved (or would be), but worth a look' },
);

export const BackfillStatusSchema = Type.Object(
  {
    jobId: Type.String({ description: 'The backfill job, to follow while it runs' }),
    status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')], {
      description: 'Where it stands when the request answers',
    }),
    granted: Nullable(Type.Integer({ description: 'Awards it wrote, once done' })),
    error: Nullable(Type.String({ description: 'Why it failed' })),
  },
  { description: 'The backfill a change started' },
);

export const AchievementChangeSchema = Type.Object(
  {
    achievement: AdminAchievementViewSchema,
    warnings: Type.Array(WarningSchema, { description: 'Things saved that may be mistakes' }),
    backfill: Nullable(BackfillStatusSchema, { description: 'The backfill this change started, or null when it started none' }),
  },
  { description: 'An achievement as saved, with warnings and the backfill it started' },
);
