import Type, { type Static } from 'typebox';
import { Nullable } from './common.js';

/** A community's settings, as GET and PATCH /admin/v1/settings answer them. */
export const SettingsSchema = Type.Object(
  {
    strictMetrics: Type.Boolean({ description: 'An event or achievement naming an unknown metric is refused instead of creating it' }),
    achievementsEnabled: Type.Boolean({ description: 'Off: events still count, but nothing unlocks' }),
    weekStart: Type.Integer({ minimum: 1, maximum: 7, description: 'First day of the week: 1 Monday … 7 Sunday' }),
    lateEventHorizonDays: Type.Integer({ minimum: 0, description: 'Events older than this many days are refused' }),
    rateLimits: Type.Object(
      {
        eventsPerSecond: Nullable(
          Type.Integer({ description: 'Events per second and API key; each event of a batch counts (null: no limit)' }),
        ),
        readsPerSecond: Nullable(Type.Integer({ description: 'GET requests under /v1 per second and API key (null: no limit)' })),
      },
      { description: 'Per-key rate limits' },
    ),
    widgetOrigins: Type.Array(Type.String(), {
      description: 'Origins (scheme://host[:port]) whose pages may call /v1 with a widget token (CORS); at most 50',
    }),
  },
  { description: 'Community settings' },
);
export type Settings = Static<typeof SettingsSchema>;
