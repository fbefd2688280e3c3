/** How achievements are shown to apps: Trophy's AchievementResponse family, with Laurel's extra fields. */
import Type from 'typebox';
import { Criterion, Policies } from './achievements.js';
import { Filled, Nullable } from './common.js';

const text = (description: string) => Type.String({ description });
const nullableText = (description: string) => Nullable(Type.String({ description }));

/** An attribute and its value (Trophy lists attribute filters as these pairs). */
export const KeyValueSchema = Type.Object({
  key: text("The attribute's name"),
  value: text("The attribute's value"),
});

/** A reward as an unlock pays it: a badge names its image, points the system and amount. */
export const RewardViewSchema = Type.Union(
  [
    Type.Object({
      type: Type.Literal('points', { description: 'Points in a points system' }),
      system: text('Points system key'),
      amount: Type.Number({ description: 'Points added' }),
    }),
    Type.Object({
      type: Type.Literal('badge', { description: "The achievement's (or tier's) badge" }),
      badgeUrl: nullableText("The badge image's URL"),
    }),
    Type.Object({
      type: Type.Literal('custom', { description: "Your app's own reward" }),
      data: Type.Record(Type.String(), Type.Unknown(), { description: "The app's own data, as configured" }),
    }),
  ],
  { description: 'One reward of an unlock' },
);

export const AwardSourceSchema = Type.Union(
  [Type.Literal('event'), Type.Literal('api'), Type.Literal('backfill'), Type.Literal('composite'), Type.Literal('sweep')],
  { description: 'What caused the unlock: an event, an API completion, a backfill, a composite following, or the daily sweep' },
);

/** A tier as unlocks, progress and analytics name it. */
export const TierRefSchema = Type.Object({ key: text('Tier key'), name: text('Tier name') }, { description: 'A tier' });

export const TierViewSchema = Type.Object({
  key: text('Tier key'),
  name: text("The tier's name, in the request's language"),
  threshold: Type.Number({ description: "The tier's goal" }),
  condition: text('What it takes, in words'),
  badgeUrl: nullableText("The tier's badge, else the achievement's"),
  rewards: Type.Array(RewardViewSchema, { description: 'What reaching the tier pays' }),
});

const achievementFields = {
  id: text('The unique ID of the achievement'),
  key: text('The key used to reference this achievement in the API'),
  name: text("The name of this achievement, in the request's language"),
  description: nullableText('The description of this achievement'),
  badgeUrl: nullableText('The URL of the badge image for the achievement'),
  trigger: Type.Union([Type.Literal('metric'), Type.Literal('api'), Type.Literal('achievement'), Type.Literal('streak')], {
    description: "Trophy's trigger: what unlocks it (anniversaries count as api)",
  }),
  condition: text('What it takes, in words'),
  category: nullableText('Category, for grouping in a UI'),
  tags: Type.Array(Type.String(), { description: 'Free-form tags' }),
  featured: Type.Boolean({ description: 'Whether apps should feature it' }),
  scope: Type.Union([Type.Literal('community'), Type.Literal('org')], { description: 'Who can see it' }),
  criteria: Criterion,
  policies: Filled(Policies),
  tiers: Type.Array(TierViewSchema, { description: 'Its tiers, lowest first; empty when untiered' }),
  rewards: Type.Array(RewardViewSchema, { description: 'What unlocking it pays (untiered achievements)' }),
  userAttributes: Type.Array(KeyValueSchema, {
    description: 'User attribute filters that must be met for this achievement to be completed',
  }),
  eventAttributes: Type.Optional(
    Type.Array(KeyValueSchema, { description: 'Event attribute filters that must be met (metric achievements only)' }),
  ),
  eventAttribute: Type.Optional(
    Type.Object(KeyValueSchema.properties, { description: 'Deprecated: the first of eventAttributes, if any' }),
  ),
  metricId: Type.Optional(text('The ID of the metric associated with this achievement (metric achievements only)')),
  metricName: Type.Optional(text('The name of that metric')),
  metricValue: Type.Optional(Type.Number({ description: "The value of the metric required to complete it (its first tier's, if tiered)" })),
  achievementIds: Type.Optional(
    Type.Array(Type.String(), { description: 'The IDs of the prerequisite achievements (trigger = achievement only)' }),
  ),
  streakLength: Type.Optional(Type.Integer({ description: 'The streak length required to complete it (trigger = streak only)' })),
  unlockMessage: nullableText('Message to show when it unlocks'),
};

export const AchievementViewSchema = Type.Object(achievementFields, { description: "Trophy's AchievementResponse" });

const statsFields = {
  completions: Type.Integer({ description: 'The number of users who have completed this achievement' }),
  rarity: Type.Number({ description: 'The percentage of all users who have completed this achievement' }),
};

export const AchievementWithStatsSchema = Type.Object(
  {
    ...achievementFields,
    ...statsFields,
    historic: Type.Boolean({ description: 'A fixed-window achievement whose window has closed: it can no longer be earned' }),
  },
  { description: "Trophy's AchievementWithStatsResponse" },
);

/** Trophy's UserAchievementResponse: an achievement and when the user completed it. */
export const EarnedAchievementSchema = Type.Object(
  {
    ...achievementFields,
    achievedAt: nullableText('When the user completed it (ISO 8601); null if they have not'),
  },
  { description: "Trophy's UserAchievementResponse" },
);

export const ProgressViewSchema = Type.Object(
  {
    current: Type.Number({ description: "The user's amount so far" }),
    target: Type.Number({ description: 'The amount the next goal needs' }),
    percent: Type.Number({ description: 'current of target, in percent' }),
    tier: Nullable(TierRefSchema, { description: 'The tier being worked towards' }),
  },
  { description: "How far the user is towards the achievement's next goal" },
);

export const UserAchievementSchema = Type.Object(
  {
    ...achievementFields,
    ...statsFields,
    achievedAt: nullableText('When the user first completed it (ISO 8601); null if they have not'),
    tier: Nullable(
      Type.Object({
        ...TierRefSchema.properties,
        threshold: Type.Number({ description: "The tier's goal" }),
        achievedAt: text('When the user reached it (ISO 8601)'),
      }),
      { description: 'The highest tier held, for tiered achievements' },
    ),
    tiersAchieved: Type.Array(Type.Object({ ...TierRefSchema.properties, achievedAt: text('When the user reached it (ISO 8601)') }), {
      description: 'Every tier held, lowest first',
    }),
    completionCount: Type.Integer({ description: 'How many times the user has completed it' }),
    backfilled: Type.Boolean({ description: 'Whether every completion was granted by a backfill' }),
    progress: Nullable(ProgressViewSchema, { description: 'Progress towards the next goal; only with includeIncomplete=true' }),
    historic: Type.Boolean({ description: 'A fixed-window achievement whose window has closed' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('locked')], { description: 'locked: can no longer be earned' }),
  },
  { description: "Trophy's UserAchievementWithStatsResponse" },
);
