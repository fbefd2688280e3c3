import Type from 'typebox';
import { Attributes, Key, Value } from './common.js';
import { UserRef } from './users.js';

const eventFields = {
  user: UserRef,
  value: Value("Added to the user's total; may be negative or decimal"),
  attributes: Type.Optional(Attributes),
  timestamp: Type.Optional(Type.String({ description: 'ISO 8601 time the event happened (default: now)' })),
};

export const EventBody = Type.Object(eventFields);

export const BatchBody = Type.Object(
  {
    events: Type.Array(
      Type.Object({
        metric: Key('Metric key'),
        ...eventFields,
        idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
      }),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
});
