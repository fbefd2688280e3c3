import Type from 'typebox';
import { VALUE_LIMIT } from '../../domain/values.js';
import { Attributes, Int, Key, Nullable, TaggedUnion, UserId, Value } from './common.js';

const strict = { additionalProperties: false } as const;

export const Reward = TaggedUnion(
  [
    Type.Object(
      {
        type: Type.Literal('points', { description: 'Points in a points system' }),
        system: Key('Points system key'),
        amount: Type.Integer({ minimum: -VALUE_LIMIT, maximum: VALUE_LIMIT, description: 'Points to add' }),
      },
      strict,
    ),
    Type.Object({ type: Type.Literal('badge', { description: "The achievement's (or tier's) badge" }) }, strict),
    Type.Object(
      {
        type: Type.Literal('custom', { description: "Your app's own reward" }),
        data: Type.Record(Type.String(), Type.Unknown(), { description: 'Delivered as-is in the unlock' }),
      },
      strict,
    ),
  ],
  { description: 'One reward an unlock pays' },
);

export const Criterion = TaggedUnion(
  [
    Type.Object(
      {
        type: Type.Literal('metric', { description: "Unlocks on a metric's total, count or period" }),
        metric: Key('Metric key'),
        measure: Type.Optional(
          Type.Union([Type.Literal('sum'), Type.Literal('count')], { description: 'sum of values (default) or count of events' }),
        ),
        threshold: Type.Optional(Value('The goal as a fixed value (greater than 0); or give tiers')),
        targetPercent: Type.Optional(Value("The goal as a percentage of the user's own target, prorated to the period")),
        beatPrevious: Type.Optional(Type.Boolean({ description: 'The goal is more than the user did in the previous period' })),
        window: Type.Optional(
          Type.Union([
            Type.Object({ days: Int('Rolling: within the last N days') }, strict),
            Type.Object(
              {
                start: Type.String({ description: 'Fixed: ISO date-time the window opens' }),
                end: Type.String({ description: 'ISO date-time it closes; after it the achievement is historic' }),
              },
              strict,
            ),
          ]),
        ),
        period: Type.Optional(
          Type.Object(
            {
              unit: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month'), Type.Literal('custom')]),
              start: Type.Optional(Type.String({ description: 'Custom: first day (YYYY-MM-DD)' })),
              end: Type.Optional(Type.String({ description: 'Custom: last day (YYYY-MM-DD)' })),
              repeat: Type.Optional(Type.Boolean({ description: 'Custom: repeat back to back' })),
            },
            { ...strict, description: 'The goal is per period (a day, week, month, or custom days); repeats with repeat: per_period' },
          ),
        ),
      },
      strict,
    ),
    Type.Object(
      {
        type: Type.Literal('streak', { description: 'Unlocks at a streak length' }),
        streak: Type.Optional(Key('Streak key (default: the primary streak)')),
        length: Type.Optional(Int('Streak length to reach; or give tiers of lengths')),
      },
      strict,
    ),
    Type.Object(
      {
        type: Type.Literal('anniversary', { description: 'Unlocks years after the user joined' }),
        years: Int('Years since the user joined'),
      },
      strict,
    ),
    Type.Object({ type: Type.Literal('api', { description: 'Completed by your app through the API' }) }, strict),
    Type.Object(
      {
        type: Type.Literal('composite', { description: 'Unlocks on holding other achievements' }),
        requires: Type.Array(Key('Achievement key'), { minItems: 1, description: 'The achievements it needs' }),
        min: Type.Optional(Int('How many of them (default: all)')),
      },
      strict,
    ),
  ],
  { description: 'What unlocks the achievement' },
);

const Tier = Type.Object(
  {
    key: Key('Tier key'),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    threshold: Value("The tier's goal"),
    rewards: Type.Optional(Type.Array(Reward)),
    badgeUrl: Type.Optional(Nullable(Type.String())),
    translations: Type.Optional(Type.Record(Type.String(), Type.Object({ name: Type.Optional(Type.String()) }, strict))),
  },
  strict,
);

export const Translation = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'The name in this language' })),
    description: Type.Optional(Type.String({ description: 'The description in this language' })),
    unlockMessage: Type.Optional(Type.String({ description: 'The celebration message in this language' })),
    condition: Type.Optional(Type.String({ description: 'Replaces the generated condition text in this language' })),
  },
  strict,
);

export const Filters = Type.Object(
  {
    event: Type.Optional(Attributes),
    user: Type.Optional(Attributes),
  },
  { ...strict, description: 'Attributes events (event) and users (user) must carry for it to count' },
);

export const Policies = Type.Object(
  {
    match: Type.Optional(
      Type.Union([Type.Literal('reach'), Type.Literal('exact')], { description: 'reach: at or past the goal (default); exact: on it' }),
    ),
    onActivation: Type.Optional(
      Type.Union([Type.Literal('backfill'), Type.Literal('from_activation')], {
        description: 'backfill: grant it to users who already qualify (default); from_activation: count from activation on',
      }),
    ),
    repeat: Type.Optional(
      Type.Union([Type.Literal('once'), Type.Literal('per_period'), Type.Literal('unlimited')], {
        description: 'How often a user can earn it (default once)',
      }),
    ),
  },
  { ...strict, description: 'How it unlocks: matching, activation and repetition' },
);

export const Translations = Type.Record(Type.String({ pattern: '^[a-z]{2}$' }), Translation, {
  description: 'Texts by two-letter language code',
});

export const Celebration = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: 'Whether apps should celebrate the unlock (default true)' })),
    message: Type.Optional(Nullable(Type.String({ maxLength: 500, description: 'Message to show' }))),
    animation: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'Animation name, for your app' }))),
    sound: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'Sound URL' }))),
    durationSeconds: Type.Optional(Type.Number({ minimum: 1, maximum: 60, description: 'How long to show it (default 5)' })),
  },
  { ...strict, description: 'How apps should celebrate the unlock' },
);

const fields = {
  key: Type.Optional(Key('Stable API handle (default: made from the name)')),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  badgeUrl: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  category: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }))),
  featured: Type.Optional(Type.Boolean()),
  scope: Type.Optional(Type.Union([Type.Literal('community'), Type.Literal('org')])),
  status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('active'), Type.Literal('locked'), Type.Literal('archived')])),
  criteria: Criterion,
  tiers: Type.Optional(Type.Array(Tier)),
  rewards: Type.Optional(Type.Array(Reward)),
  filters: Type.Optional(Filters),
  policies: Type.Optional(Policies),
  translations: Type.Optional(Translations),
  celebration: Type.Optional(Celebration),
  emailOnUnlock: Type.Optional(Type.Boolean()),
};

export const CreateAchievementBody = Type.Object(fields, strict);

export const UpdateAchievementBody = Type.Object(
  {
    ...fields,
    name: Type.Optional(fields.name),
    criteria: Type.Optional(Criterion),
  },
  strict,
);

export const AchievementListQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ description: 'Comma-separated statuses' })),
    scope: Type.Optional(Type.Union([Type.Literal('community'), Type.Literal('org')])),
    tag: Type.Optional(Type.String()),
    category: Type.Optional(Type.String()),
    q: Type.Optional(Type.String({ description: 'Search in name, key and description' })),
    sort: Type.Optional(
      Type.String({
        description: 'name, key, status, scope, category, completions, rarity, createdAt, updatedAt; prefix - for descending',
      }),
    ),
  },
  strict,
);

export const CompleteBody = Type.Object({
  user: Type.Object({
    id: UserId(),
    name: Type.Optional(Nullable(Type.String())),
    email: Type.Optional(Nullable(Type.String())),
    tz: Type.Optional(Nullable(Type.String())),
    attributes: Type.Optional(Attributes),
    subscribeToEmails: Type.Optional(Type.Boolean()),
    locale: Type.Optional(Nullable(Type.String({ maxLength: 35 }))),
    deviceTokens: Type.Optional(Nullable(Type.Array(Type.String()))),
  }),
});

export const UserAchievementsQuery = Type.Object({
  includeIncomplete: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
});

export const CommunityAchievementsQuery = Type.Object({
  userAttributes: Type.Optional(Type.String({ description: 'attribute:value,attribute:value' })),
});

export const ActivityQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String()),
});
