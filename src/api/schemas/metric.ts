import Type, { type Static } from 'typebox';
import { Nullable } from './common.js';

const MetricTranslation = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'The name in this language' })),
    unit: Type.Optional(Type.String({ description: 'The plural unit in this language' })),
    unitSingular: Type.Optional(Type.String({ description: 'The singular unit in this language' })),
    verb: Type.Optional(Type.String({ description: 'The verb in this language' })),
  },
  { description: "A metric's wording in one language" },
);

/** A metric as admins see it. */
export const MetricSchema = Type.Object(
  {
    id: Type.String({ description: "Laurel's id of the metric" }),
    key: Type.String({ description: 'The key events name it by' }),
    name: Type.String({ description: 'Display name' }),
    description: Nullable(Type.String({ description: 'What it counts, for admins' })),
    unit: Nullable(Type.String({ description: 'Plural noun for condition texts, e.g. "words"' })),
    unitSingular: Nullable(Type.String({ description: 'Singular noun, e.g. "word"' })),
    verb: Nullable(Type.String({ description: 'e.g. "Write", as in "Write 10,000 words"' })),
    translations: Type.Record(Type.String(), MetricTranslation, { description: 'Wording per two-letter language code' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('archived')], {
      description: 'archived: history is kept, new events are refused',
    }),
    created: Type.String({ format: 'date-time', description: 'When it was created (ISO 8601)' }),
    updated: Type.String({ format: 'date-time', description: 'When it last changed (ISO 8601)' }),
  },
  { description: 'A metric' },
);
export type MetricView = Static<typeof MetricSchema>;
