import Type, { type Static, type TObject, type TSchema, type TUnion } from 'typebox';
import { KEY_PATTERN } from '../../domain/metric.js';
import { USER_ID_MAX_LENGTH } from '../../domain/user.js';
import { VALUE_DECIMALS, VALUE_LIMIT } from '../../domain/values.js';

export const Key = (description: string) =>
  Type.String({ pattern: KEY_PATTERN, description: `${description} (letters, digits, _ . : -; up to 100)` });

/** A number in the value range every value, threshold and amount shares. */
export const Value = (description: string) =>
  Type.Number({
    minimum: -VALUE_LIMIT,
    maximum: VALUE_LIMIT,
    description: `${description} (at most ${VALUE_LIMIT} either way; kept to ${VALUE_DECIMALS} decimal places)`,
  });

/** A whole number in the value range: counts and lengths, whose own limits the engine checks. */
export const Int = (description: string, options: { minimum?: number; default?: number } = {}) =>
  Type.Integer({ minimum: -VALUE_LIMIT, maximum: VALUE_LIMIT, ...options, description });

/**
 * Attribute names and values, in characters. A user's value of a leaderboard's breakdown attribute
 * is part of the leaderboard_entries key with their id; PostgreSQL refuses an index entry over
 * 2,704 bytes, and 255 four-byte characters of each (with the rest of the key) take about 2,100.
 */
export const ATTRIBUTE_NAME_MAX_LENGTH = 100;
export const ATTRIBUTE_VALUE_MAX_LENGTH = 255;

export const Attributes = Type.Record(Type.String(), Type.String({ maxLength: ATTRIBUTE_VALUE_MAX_LENGTH }), {
  propertyNames: { maxLength: ATTRIBUTE_NAME_MAX_LENGTH },
  description: `String key-value pairs (names up to ${ATTRIBUTE_NAME_MAX_LENGTH} characters, values up to ${ATTRIBUTE_VALUE_MAX_LENGTH})`,
});

export const Nullable = <T extends TSchema>(schema: T, options: { description?: string } = {}) =>
  Type.Union([schema, Type.Null()], options);

/** A request's object as answers show it: every field present, defaults filled in. */
export const Filled = <T extends TObject>(schema: T) =>
  Type.Required(schema, { description: (schema as { description?: string }).description });

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

/** A user's id in the app (also the limit for other ids in paths). */
export const UserId = (description = "The user's id in your app") =>
  Type.String({ minLength: 1, maxLength: USER_ID_MAX_LENGTH, description: `${description} (up to ${USER_ID_MAX_LENGTH} characters)` });

export const KeyParams = Type.Object({ key: Type.String({ minLength: 1 }) });
export const IdParams = Type.Object({ id: UserId('An id') });
export const UserPointsParams = Type.Object({ id: UserId(), key: Type.String({ minLength: 1 }) });
