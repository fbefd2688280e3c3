/**
 * Request validation with Ajv. Bodies are checked as sent (no type coercion: "10" is not a
 * number); query strings and path parameters are text by nature, so they are coerced.
 *
 * Two rules hold for every part of every request, whatever its schema says: no string (nor object
 * key) contains the NUL character, which PostgreSQL cannot store in text; and every number is finite
 * (JSON parsing turns 1e309 into Infinity, which would be stored as null). The value range
 * (src/domain/values.ts) is stated by the schemas of numeric fields, not applied here, so opaque data
 * (a custom reward's `data`) may hold any finite number, e.g. a timestamp in milliseconds.
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
    // Errors carry their schema, so messages can list what a union accepts.
    verbose: true,
    discriminator: true,
    strict: false,
  });
  return addFormats(ajv);
}

const bodies = makeAjv(false);
const texts = makeAjv('array');

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const validate: ValidateFunction = (httpPart === 'body' ? bodies : texts).compile(schema as object);
  const part = httpPart ?? 'body';
  return (data: unknown) => {
    const nul = findValue(data, (x) => typeof x === 'string' && x.includes('\u0000'));
    if (nul) {
      // A path that cannot be stored names no resource: the URL is bad, not the content.
      const kind = part === 'params' ? 'malformed' : 'invalid';
      const name = nul.field || where('', part);
      return {
        error: new LaurelError(kind, 'nul_character', `${name} must not contain the NUL character (\\u0000)`, nul.field || undefined),
      };
    }
    if (!validate(data)) return { error: toLaurelError(validate.errors ?? [], part) };
    const number = findValue(data, (x) => typeof x === 'number' && !Number.isFinite(x));
    if (number) {
      const name = number.field || where('', part);
      return { error: new LaurelError('invalid', 'value_out_of_range', `${name} must be a finite number`, number.field || undefined) };
    }
    return { value: data };
  };
};

const where = (field: string, part: string) => (field ? field : part === 'body' ? 'the request body' : part);

interface Node {
  value: unknown;
  key: string;
  parent: Node | null;
}

/**
 * The first value (or object key) in a request part that `bad` picks, and where it sits. Walked
 * with a stack of its own (a deeply nested body must not exhaust the call stack); a node's path is
 * only spelled out for the one found, as a batch of 1,000 events has over 10,000 nodes.
 */
function findValue(data: unknown, bad: (value: unknown) => boolean): { field: string; value: unknown } | null {
  const stack: Node[] = [{ value: data, key: '', parent: null }];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    const { value } = node;
    if (bad(value)) return { field: fieldOfPath(pathOf(node)), value };
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push({ value: value[i], key: String(i), parent: node });
      continue;
    }
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (bad(key)) return { field: fieldOfPath([...pathOf(node), key]), value: key };
      stack.push({ value: (value as Record<string, unknown>)[key], key, parent: node });
    }
  }
  return null;
}

function pathOf(node: Node): string[] {
  const path: string[] = [];
  for (let n: Node | null = node; n?.parent; n = n.parent) path.unshift(n.key);
  return path;
}

function fieldOfPath(path: readonly string[]): string {
  return path.reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

/** "/tiers/1/threshold" → "tiers[1].threshold". */
function fieldOf(instancePath: string): string {
  return fieldOfPath(
    instancePath
      .split('/')
      .slice(1)
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~')),
  );
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
  if (e.propertyName !== undefined) {
    // An object key at fault (an attribute name too long): name the key, not its object.
    field = field ? `${field}.${e.propertyName}` : e.propertyName;
    return new LaurelError('invalid', 'validation_failed', `the name of ${field} ${e.message ?? 'is invalid'}`, field);
  }
  let message: string;
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
      const tags = tagsOf(e.parentSchema, tag);
      message =
        tags.length > 0
          ? `${field} must be one of ${tags.map((t) => JSON.stringify(t)).join(', ')}`
          : `${field} must be one of the documented types`;
      break;
    }
    case 'type': {
      // A body of the wrong kind (a bare array for { events: [...] }) points at the one field it lacks.
      const required = (e.parentSchema as { required?: string[] } | undefined)?.required ?? [];
      if (!field && part === 'body' && (e.params as { type: unknown }).type === 'object' && required.length === 1) {
        field = required[0] as string;
        message = `the request body must be a JSON object with ${field}, e.g. { "${field}": … }`;
      } else message = `${where(field, part)} ${e.message ?? 'is invalid'}`;
      break;
    }
    case 'enum':
      message = `${where(field, part)} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    default:
      message = `${where(field, part)} ${e.message ?? 'is invalid'}`;
  }
  return new LaurelError('invalid', 'validation_failed', message, field || undefined);
}

/** The values a tagged union's members give their tag. */
function tagsOf(schema: unknown, tag: string): unknown[] {
  const members = (schema as { oneOf?: { properties?: Record<string, { const?: unknown }> }[] } | undefined)?.oneOf ?? [];
  return members.map((m) => m.properties?.[tag]?.const).filter((t) => t !== undefined);
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
