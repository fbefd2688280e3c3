import Type, { type Static, type TObject, type TSchema, type TUnion } from 'typebox';
import { KEY_PATTERN } from '../../domain/metric.js';

export const Key = (description: string) =>
  Type.String({ pattern: KEY_PATTERN, description: `${description} (letters, digits, _ . : -; up to 100)` });

export const Attributes = Type.Record(Type.String(), Type.String(), {
  description: 'String key-value pairs',
});

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * A union told apart by its `type` field. Validation then reports the problems of the member
 * the client meant (by its type), instead of every member's.
 */
export function TaggedUnion<T extends TObject[]>(members: [...T], options: { description?: string } = {}) {
  return Type.Unsafe<Static<TUnion<T>>>({
    type: 'object',
    required: ['type'],
    discriminator: { propertyName: 'type' },
    oneOf: members,
    ...options,
  });
}

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'What went wrong, in words' }),
    code: Type.String({ description: 'Stable machine-readable code' }),
    field: Type.Optional(Type.String({ description: 'The request field at fault, e.g. "tiers[1].threshold"' })),
  },
  { additionalProperties: true },
);

export const KeyParams = Type.Object({ key: Type.String({ minLength: 1 }) });
export const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });
export const UserPointsParams = Type.Object({ id: Type.String({ minLength: 1 }), key: Type.String({ minLength: 1 }) });

/** A shape documented for clients; responses are built by the engine's presenters. */
export const Loose = (description: string) => Type.Object({}, { additionalProperties: true, description });
