/** A user's metrics: Trophy's MetricResponse, and totals over time (event summaries). */
import Type from 'typebox';
import { EarnedAchievementSchema } from './achievement-view.js';

export const UserMetricSchema = Type.Object(
  {
    id: Type.String({ description: 'The unique ID of the metric' }),
    key: Type.String({ description: 'The unique key of the metric' }),
    name: Type.String({ description: 'The name of the metric' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('archived')], { description: 'archived: no longer takes events' }),
    current: Type.Number({ description: "The user's current total for the metric" }),
    achievements: Type.Array(EarnedAchievementSchema, { description: "The metric's achievements, with when the user completed each" }),
  },
  { description: "Trophy's MetricResponse" },
);

export const SummaryPointSchema = Type.Object(
  {
    date: Type.String({ description: 'First day of the period, or of the range if the period starts before it (YYYY-MM-DD)' }),
    total: Type.Number({ description: 'The total at the end of the period' }),
    change: Type.Number({ description: 'What the period added (its part inside the range)' }),
  },
  { description: 'One period of an event summary' },
);
