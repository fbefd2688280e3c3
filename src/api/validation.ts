/**
 * Request validation with Ajv. Bodies are checked as sent (no type coercion: "10" is not a
 * number); query strings and path parameters are text by nature, so they are coerced.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { LaurelError } from '../domain/errors.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function makeAjv(coerceTypes: boolean | 'array'): Ajv {
  const ajv = new Ajv({
    coerceTypes,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    discriminator: true,
    strict: false,
  });
  return addFormats(ajv);
}

const bodies = makeAjv(false);
const texts = makeAjv('array');

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const validate: ValidateFunction = (httpPart === 'body' ? bodies : texts).compile(schema as object);
  return (data: unknown) => {
    if (validate(data)) return { value: data };
    return { error: toLaurelError(validate.errors ?? [], httpPart ?? 'body') };
  };
};

/** "/tiers/1/threshold" → "tiers[1].threshold". */
function fieldOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function toLaurelError(errors: ErrorObject[], part: string): LaurelError {
  const anyOf = errors.find((x) => x.keyword === 'anyOf');
  if (anyOf) {
    // A member that matched in shape but failed inside says more than the union as a whole.
    const deeper = errors.find((x) => x.instancePath.startsWith(`${anyOf.instancePath}/`));
    return deeper ? toLaurelError([deeper], part) : anyOfError(errors, anyOf, part);
  }
  const e = errors[0] as ErrorObject;
  let field = fieldOf(e.instancePath);
  let message: string;
  const where = (name: string) => (name ? name : part === 'body' ? 'the request body' : part);
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      field = field ? `${field}.${missing}` : missing;
      message = `${field} is required`;
      break;
    }
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      field = field ? `${field}.${extra}` : extra;
      message = `${field} is not a known field`;
      break;
    }
    case 'discriminator': {
      const tag = (e.params as { tag: string }).tag;
      field = field ? `${field}.${tag}` : tag;
      message = `${field} must be one of the documented types`;
      break;
    }
    case 'enum':
      message = `${where(field)} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    default:
      message = `${where(field)} ${e.message ?? 'is invalid'}`;
  }
  return new LaurelError('invalid', 'validation_failed', message, field || undefined);
}

/** A value matching none of a union's members: name what would have been accepted. */
function anyOfError(errors: ErrorObject[], anyOf: ErrorObject, part: string): LaurelError {
  const field = fieldOf(anyOf.instancePath);
  const here = errors.filter((x) => x.instancePath === anyOf.instancePath);
  const values = here.filter((x) => x.keyword === 'const').map((x) => JSON.stringify((x.params as { allowedValue: unknown }).allowedValue));
  const types = here.filter((x) => x.keyword === 'type').map((x) => String((x.params as { type: unknown }).type));
  const accepted = [...values, ...types];
  const name = field || (part === 'body' ? 'the request body' : part);
  const message = accepted.length > 0 ? `${name} must be one of ${accepted.join(', ')}` : `${name} is invalid`;
  return new LaurelError('invalid', 'validation_failed', message, field || undefined);
}
