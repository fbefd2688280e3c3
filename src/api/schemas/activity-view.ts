/** A user's achievement activity, page by page. */
import Type from 'typebox';
import { AwardSourceSchema, RewardViewSchema, TierRefSchema } from './achievement-view.js';
import { Nullable } from './common.js';

export const ActivityItemSchema = Type.Object(
  {
    id: Type.String({ description: 'The ID of the completion' }),
    type: Type.Literal('achievement_unlocked', { description: 'What happened' }),
    achievedAt: Type.String({ description: 'When (ISO 8601)' }),
    achievement: Type.Object(
      {
        id: Type.String({ description: 'The ID of the achievement' }),
        key: Type.String({ description: 'Its key' }),
        name: Type.String({ description: 'Its name' }),
        badgeUrl: Nullable(Type.String({ description: "The badge of the tier reached, else the achievement's" })),
      },
      { description: 'The achievement unlocked' },
    ),
    tier: Nullable(TierRefSchema, { description: 'The tier reached, for tiered achievements' }),
    rewards: Type.Array(RewardViewSchema, { description: 'What the unlock paid' }),
    source: AwardSourceSchema,
    backfilled: Type.Boolean({ description: 'Whether a backfill granted it' }),
  },
  { description: 'One entry of the activity feed' },
);

export const ActivityPageSchema = Type.Object(
  {
    items: Type.Array(ActivityItemSchema, { description: 'Newest first' }),
    nextCursor: Nullable(Type.String({ description: 'Pass as cursor for the next page; null on the last one' })),
  },
  { description: 'One page of activity' },
);
