import Type from 'typebox';
import { Int, Key, Nullable, Value } from './common.js';

const strict = { additionalProperties: false } as const;

const perSecond = (description: string) => Type.Integer({ minimum: 1, maximum: 1_000_000, description });

const wording = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  unit: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'Plural noun for condition texts, e.g. "words"' }))),
  unitSingular: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'e.g. "word"' }))),
  verb: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'e.g. "Write", as in "Write 10,000 words"' }))),
};

const metricFields = {
  key: Key('Metric key'),
  ...wording,
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  translations: Type.Optional(
    Type.Record(
      Type.String({ pattern: '^[a-z]{2}$' }),
      Type.Object(
        {
          name: Type.Optional(Type.String()),
          unit: Type.Optional(Type.String()),
          unitSingular: Type.Optional(Type.String()),
          verb: Type.Optional(Type.String()),
        },
        strict,
      ),
    ),
  ),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('archived')])),
};

export const CreateMetricBody = Type.Object(metricFields, strict);
export const UpdateMetricBody = Type.Object({ ...metricFields, key: Type.Optional(metricFields.key) }, strict);

const Level = Type.Object(
  {
    key: Key('Level key'),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Nullable(Type.String())),
    badgeUrl: Type.Optional(Nullable(Type.String())),
    points: Value('Points needed to reach the level'),
  },
  strict,
);

const pointsFields = {
  key: Key('Points system key'),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Nullable(Type.String())),
  badgeUrl: Type.Optional(Nullable(Type.String())),
  maxPoints: Type.Optional(Nullable(Value('The most points a user can hold'))),
  kind: Type.Optional(
    Type.Union([Type.Literal('xp'), Type.Literal('spendable')], { description: 'xp never goes down; spendable can be spent' }),
  ),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('archived')])),
  levels: Type.Optional(Type.Array(Level)),
};

export const CreatePointsSystemBody = Type.Object(pointsFields, strict);
export const UpdatePointsSystemBody = Type.Object(
  { ...pointsFields, key: Type.Optional(pointsFields.key), name: Type.Optional(pointsFields.name) },
  strict,
);

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    kind: Type.Optional(Type.Union([Type.Literal('application'), Type.Literal('admin')], { default: 'application' })),
  },
  strict,
);

export const SettingsBody = Type.Object(
  {
    strictMetrics: Type.Optional(Type.Boolean()),
    achievementsEnabled: Type.Optional(Type.Boolean()),
    weekStart: Type.Optional(Type.Integer({ minimum: 1, maximum: 7, description: 'First day of the week: 1 Monday … 7 Sunday' })),
    lateEventHorizonDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, description: 'Events older than this are refused' })),
    rateLimits: Type.Optional(
      Nullable(
        Type.Object(
          {
            eventsPerSecond: Type.Optional(
              Nullable(perSecond('Events per second and API key; each event of a batch counts (null: no limit)')),
            ),
            readsPerSecond: Type.Optional(Nullable(perSecond('GET requests under /v1 per second and API key (null: no limit)'))),
          },
          { ...strict, description: 'Per-key rate limits; null lifts both' },
        ),
      ),
    ),
    widgetOrigins: Type.Optional(
      Type.Array(Type.String({ maxLength: 300 }), {
        maxItems: 1000,
        description: 'Origins (scheme://host[:port], http or https) whose pages may call /v1 with a widget token; replaces the list',
      }),
    ),
  },
  strict,
);

const streakFields = {
  key: Key('Streak key'),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  frequency: Type.Union([Type.Literal('daily'), Type.Literal('weekly'), Type.Literal('monthly')]),
  metrics: Type.Array(
    Type.Object(
      {
        metric: Key('Metric key'),
        min: Type.Optional(Value("The period's sum must reach this (default: any event)")),
      },
      strict,
    ),
    { minItems: 1 },
  ),
  mode: Type.Optional(
    Type.Union([Type.Literal('all'), Type.Literal('any')], { description: 'Every metric must pass (default), or any one' }),
  ),
  primary: Type.Optional(Type.Boolean({ description: "The streak Trophy's API reports (the first one created is primary)" })),
  freezes: Type.Optional(
    Nullable(
      Type.Object(
        {
          initial: Int('Freezes given when a user starts their first streak'),
          autoEarnEveryDays: Int('One more every N days (0: never)'),
          max: Int('Most a user can hold'),
        },
        strict,
      ),
    ),
  ),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('archived')])),
};

export const CreateStreakBody = Type.Object(streakFields, strict);
export const UpdateStreakBody = Type.Object(
  {
    ...streakFields,
    key: Type.Optional(streakFields.key),
    name: Type.Optional(streakFields.name),
    frequency: Type.Optional(streakFields.frequency),
    metrics: Type.Optional(streakFields.metrics),
  },
  strict,
);
