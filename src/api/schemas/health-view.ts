/** What the health probes answer, to load balancers and orchestrators. */
import Type, { type Static } from 'typebox';

export const HealthSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('ready'), Type.Literal('unavailable'), Type.Literal('shutting_down')], {
      description: 'ok (/healthz) or ready (/readyz); unavailable: see code; shutting_down: finishing requests, take no more',
    }),
    database: Type.Optional(Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')], { description: 'The database Laurel runs on' })),
    code: Type.Optional(
      Type.Union([Type.Literal('database_unavailable'), Type.Literal('storage_unavailable')], {
        description: 'What is down: the database does not answer, or it refuses writes (e.g. its disk is full)',
      }),
    ),
  },
  { description: 'Whether Laurel can serve' },
);
export type Health = Static<typeof HealthSchema>;
