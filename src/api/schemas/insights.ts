import Type, { type Static } from 'typebox';
import { TierRefSchema } from './achievement-view.js';
import { AchievementStatusSchema, WarningSchema } from './admin-achievement-view.js';
import { Nullable } from './common.js';

export const ProblemSchema = Type.Object(
  {
    code: Type.String({ description: 'Stable machine-readable code' }),
    error: Type.String({ description: 'What saving would refuse, in words' }),
    field: Type.Optional(Type.String({ description: 'The field at fault, e.g. "tiers[1].threshold"' })),
  },
  { description: 'A reason saving the draft would fail' },
);
export type Problem = Static<typeof ProblemSchema>;

/** What POST /admin/v1/achievements/preview answers about a draft. */
export const AchievementPreviewSchema = Type.Object(
  {
    condition: Nullable(Type.String({ description: 'The condition as users will read it; null when the draft is too incomplete to say' })),
    tiers: Type.Array(
      Type.Object(
        {
          ...TierRefSchema.properties,
          condition: Type.String({ description: "The tier's condition as users will read it" }),
        },
        { description: "A tier's condition" },
      ),
      { description: 'Per tier, in order' },
    ),
    problems: Type.Optional(Type.Array(ProblemSchema, { description: 'What saving would refuse; absent when it would save' })),
    warnings: Type.Array(WarningSchema, { description: 'What saving would warn about' }),
  },
  { description: "A draft achievement's condition and problems" },
);
export type AchievementPreview = Static<typeof AchievementPreviewSchema>;

/** What GET /admin/v1/achievements/:key/backfill-preview answers. */
export const BackfillPreviewSchema = Type.Object(
  {
    key: Type.String({ description: 'Achievement key' }),
    status: AchievementStatusSchema,
    onActivation: Type.Union([Type.Literal('backfill'), Type.Literal('from_activation')], {
      description: 'Whether earlier activity counts when it goes live',
    }),
    backfills: Type.Boolean({ description: 'Whether activating it (or editing its rules while active) runs a backfill at all' }),
    supported: Type.Boolean({ description: 'Whether Laurel can count the users in advance' }),
    users: Nullable(
      Type.Integer({ description: 'Users who would receive it (at least one tier) silently right now; null when not counted' }),
    ),
    tiers: Type.Array(
      Type.Object(
        {
          ...TierRefSchema.properties,
          users: Type.Integer({ description: 'Users who would receive this tier' }),
        },
        { description: 'One tier' },
      ),
      { description: 'Per tier (empty when not counted per tier)' },
    ),
    reason: Nullable(Type.String({ description: 'Why nobody, or why not counted, in words' })),
  },
  { description: 'Who activating an achievement now would grant it to' },
);
export type BackfillPreview = Static<typeof BackfillPreviewSchema>;

/** What GET /admin/v1/achievements/:key/analytics answers. */
export const AchievementAnalyticsSchema = Type.Object(
  {
    key: Type.String({ description: 'Achievement key' }),
    users: Type.Integer({ description: 'Users in the community' }),
    completions: Type.Integer({ description: 'Users who hold it' }),
    rarity: Type.Number({ description: 'Percentage of users who hold it' }),
    stagesKind: Type.Union([Type.Literal('progress'), Type.Literal('held')], {
      description: 'progress: users without it are placed by how far they are towards the first step; held: only whether they hold it',
    }),
    stages: Type.Array(
      Type.Object(
        {
          stage: Type.String({ description: 'Stage id, e.g. "progress:2" or "held:0"' }),
          label: Type.String({ description: 'Stage label, e.g. "25–49%" or a tier name' }),
          users: Type.Integer({ description: 'Users at this stage' }),
        },
        { description: 'One stage of progress' },
      ),
      { description: 'Users per stage, from none to the last tier' },
    ),
    days: Type.Integer({ description: 'Days in unlocksPerDay' }),
    unlocksPerDay: Type.Array(
      Type.Object(
        {
          date: Type.String({ format: 'date', description: 'Day (YYYY-MM-DD, UTC)' }),
          unlocks: Type.Integer({ description: 'Unlocks that day' }),
        },
        { description: 'One day' },
      ),
      { description: 'Unlocks per day, oldest first, up to today' },
    ),
    latest: Type.Array(
      Type.Object(
        {
          userId: Type.String({ description: "The user's id in the app" }),
          userName: Nullable(Type.String({ description: "The user's name" })),
          tier: Nullable(TierRefSchema, { description: 'The tier unlocked (null: untiered)' }),
          achievedAt: Type.String({ format: 'date-time', description: 'When (ISO 8601)' }),
          source: Type.String({ description: 'What granted it: event, api, backfill, composite or sweep' }),
          backfilled: Type.Boolean({ description: 'Granted silently by a backfill' }),
        },
        { description: 'One unlock' },
      ),
      { description: 'The latest unlocks, newest first' },
    ),
  },
  { description: "An achievement's analytics" },
);
export type AchievementAnalytics = Static<typeof AchievementAnalyticsSchema>;
