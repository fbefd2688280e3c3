/** Metrics as admins and apps see them: the definition, a user's metric (Trophy's MetricResponse), totals over time. */
import Type, { type Static } from 'typebox';
import { EarnedAchievementSchema } from './achievement-view.js';
import { Nullable } from './common.js';

const metricFields = {
  id: Type.String({ description: 'The unique ID of the metric' }),
  key: Type.String({ description: 'The unique key of the metric: the one events name it by' }),
  name: Type.String({ description: 'The name of the metric' }),
  status: Type.Union([Type.Literal('active'), Type.Literal('archived')], {
    description: 'archived: history is kept, new events are refused',
  }),
};

const MetricTranslation = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'The name in this language' })),
    unit: Type.Optional(Type.String({ description: 'The plural unit in this language' })),
    unitSingular: Type.Optional(Type.String({ description: 'The singular unit in this language' })),
    verb: Type.Optional(Type.String({ description: 'The verb in this language' })),
  },
  { description: "A metric's wording in one language" },
);

export const AdminMetricSchema = Type.Object(
  {
    ...metricFields,
    description: Nullable(Type.String({ description: 'What it counts, for admins' })),
    unit: Nullable(Type.String({ description: 'Plural noun for condition texts, e.g. "words"' })),
    unitSingular: Nullable(Type.String({ description: 'Singular noun, e.g. "word"' })),
    verb: Nullable(Type.String({ description: 'e.g. "Write", as in "Write 10,000 words"' })),
    translations: Type.Record(Type.String(), MetricTranslation, { description: 'Wording per two-letter language code' }),
    builtIn: Type.Boolean({
      description:
        'Raised by Laurel itself (member_joined, achievement_unlocked, …): clients cannot send its events, and it cannot be deleted',
    }),
    created: Type.String({ format: 'date-time', description: 'When it was created (ISO 8601)' }),
    updated: Type.String({ format: 'date-time', description: 'When it last changed (ISO 8601)' }),
  },
  { description: 'A metric, as admins see it' },
);
export type AdminMetric = Static<typeof AdminMetricSchema>;

export const UserMetricSchema = Type.Object(
  {
    ...metricFields,
    current: Type.Number({ description: "The user's current total for the metric" }),
    achievements: Type.Array(EarnedAchievementSchema, { description: "The metric's achievements, with when the user completed each" }),
  },
  { description: "Trophy's MetricResponse" },
);

/** One period of a metric's or a points system's totals over time. */
export const SummaryPointSchema = Type.Object(
  {
    date: Type.String({ description: 'First day of the period, or of the range if the period starts before it (YYYY-MM-DD)' }),
    total: Type.Number({ description: 'The total at the end of the period' }),
    change: Type.Number({ description: 'What the period added (its part inside the range)' }),
  },
  { description: 'One period of an event summary' },
);
