/** What completing an API achievement answers: Trophy's AchievementCompletionResponse, with Laurel's extra fields. */
import Type from 'typebox';
import { AchievementViewSchema, AwardSourceSchema } from './achievement-view.js';
import { Nullable } from './common.js';
import { PointsChangesSchema, UnlockedAchievementSchema, UnlockedTierSchema } from './event-response.js';

export const CompletionResponseSchema = Type.Object(
  {
    completionId: Type.String({ description: 'The unique ID of the completion' }),
    achievement: Type.Object(
      {
        ...AchievementViewSchema.properties,
        achievedAt: Type.String({ description: 'When it was completed (ISO 8601)' }),
        completionId: Type.String({ description: 'The unique ID of the completion' }),
        completionCount: Type.Optional(
          Type.Integer({ description: 'How many times the user has now completed it (new completions only)' }),
        ),
        tier: Type.Optional(Nullable(UnlockedTierSchema, { description: 'The tier reached (new completions only)' })),
        source: Type.Optional(AwardSourceSchema),
      },
      { description: 'The achievement completed; completionCount, tier and source only on a new completion' },
    ),
    points: PointsChangesSchema,
    achievements: Type.Array(UnlockedAchievementSchema, {
      description: 'Everything this completion unlocked, including composites it completed; empty if the user already held it',
    }),
    alreadyCompleted: Type.Boolean({ description: 'true: the user already held it, and this is the original completion' }),
  },
  { description: "Trophy's AchievementCompletionResponse" },
);
