/**
 * OpenAPI-driven fuzzing: requests for every operation of the server's own /openapi.json, built
 * from each operation's schemas with values that are valid, nearly valid and hostile (huge and
 * tiny numbers, NUL characters, long and odd unicode strings, wrong types, missing fields, odd
 * path parameters). Bounded and seeded, so a failure reproduces. No answer may be a 5xx, every
 * 4xx must be Laurel's `{ error, code, field? }`, and the server must be healthy afterwards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { ADMIN_KEY, startLaurel, type TestLaurel } from '../support/laurel.js';

const SEED = 20261101;
/** Requests generated per operation; with 66 operations about 1,650 per database. */
const PER_OPERATION = 25;

type Schema = Record<string, any>;

interface Operation {
  method: string;
  path: string;
  params: { in: string; name: string; required?: boolean; schema: Schema }[];
  body: Schema | null;
}

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

/** Names the fixtures below create, so that some generated requests reach real resources. */
const FIXTURES = ['steps', 'ach', 'xp', 'daily', 'top', 'u1', 'toString', '__proto__'];

const hostileNumbers = fc.constantFrom(
  1e308,
  -1e308,
  5e-324,
  -0,
  1e12 + 1,
  -1e13,
  2 ** 53 + 1,
  0.1 + 0.2,
  // biome-ignore lint/correctness/noPrecisionLoss: more digits than a double holds, on purpose.
  123456789.123456789,
  1e15,
  4.9e-9,
);
const hostileStrings = fc.oneof(
  fc.constantFrom('\u0000', 'x\u0000', 'steps\u0000'),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '',
    ' ',
    '.',
    '..',
    '__proto__',
    'constructor',
    'toString',
    "' or 1=1 --",
    '%00',
    '\uD800',
    '\u202Eevil',
    '🏆'.repeat(300),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 200, maxLength: 400 }),
  fc.constant('x'.repeat(5000)),
);
const anyJson = fc.oneof(
  hostileNumbers,
  hostileStrings,
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.json({ maxDepth: 2 }).map((j) => JSON.parse(j)),
);

/**
 * A value for a JSON schema: half the time valid, otherwise a valid value with one node (or a
 * key) replaced by a hostile value, a value of another type, or removed; now and then anything.
 */
function arbitraryFor(schema: Schema): fc.Arbitrary<unknown> {
  const valid = validFor(schema, 0);
  const mutated = fc
    .tuple(valid, fc.nat(), fc.constantFrom('hostile', 'hostile', 'any', 'remove'), hostileNumbers, hostileStrings, anyJson)
    .map(([value, pick, how, number, string, any]) =>
      how === 'hostile'
        ? mutate(
            value,
            pick,
            (old) => (typeof old === 'number' ? number : string),
            (v) => typeof v === 'number' || typeof v === 'string',
          )
        : mutate(value, pick, () => (how === 'remove' ? REMOVE : any)),
    );
  return fc.oneof({ arbitrary: valid, weight: 5 }, { arbitrary: mutated, weight: 4 }, { arbitrary: anyJson, weight: 1 });
}

const REMOVE = Symbol('remove');

/** The value with its `pick`-th node (depth first, the root included; among those `eligible` picks, if any) replaced. */
function mutate(
  value: unknown,
  pick: number,
  replacement: (old: unknown) => unknown,
  eligible: (v: unknown) => boolean = () => true,
): unknown {
  const nodes: { parent: Record<string, unknown> | unknown[] | null; key: string | number; value: unknown }[] = [];
  const walk = (v: unknown, parent: Record<string, unknown> | unknown[] | null, key: string | number) => {
    nodes.push({ parent, key, value: v });
    if (Array.isArray(v)) for (const [i, item] of v.entries()) walk(item, v, i);
    else if (v !== null && typeof v === 'object') for (const [k, item] of Object.entries(v)) walk(item, v as Record<string, unknown>, k);
  };
  const copy = structuredClone(value);
  walk(copy, null, '');
  const candidates = nodes.some((n) => eligible(n.value)) ? nodes.filter((n) => eligible(n.value)) : nodes;
  const node = candidates[pick % candidates.length] as (typeof nodes)[number];
  const next = replacement(node.value);
  if (node.parent === null) return next === REMOVE ? undefined : next;
  if (next === REMOVE) {
    if (Array.isArray(node.parent)) node.parent.splice(node.key as number, 1);
    else delete node.parent[node.key as string];
  } else (node.parent as Record<string | number, unknown>)[node.key] = next;
  return copy;
}

/** Strings some fields must hold to be valid, by the field's name. */
const HINTS: Record<string, fc.Arbitrary<string>> = {
  timestamp: fc.constantFrom('2026-03-02T09:00:00Z', '2026-03-01T23:59:59.999Z', '2026-02-20T10:00:00+02:00'),
  tz: fc.constantFrom('Europe/London', 'America/New_York', 'Asia/Kathmandu', 'UTC'),
  date: fc.constantFrom('2026-03-01', '2026-03-02', '2026-01-01', '2025-12-31'),
};
const hintFor = (name: string) =>
  name === 'timestamp'
    ? HINTS.timestamp
    : name === 'tz'
      ? HINTS.tz
      : /^(start|end|run|startDate|endDate)$/.test(name)
        ? HINTS.date
        : undefined;

function validFor(schema: Schema, depth: number, name = ''): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const members = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(members)) return fc.oneof(...members.map((m: Schema) => validFor(m, depth + 1, name)));
  switch (schema.type) {
    case 'object': {
      const properties: Record<string, Schema> = schema.properties ?? {};
      const fields = Object.fromEntries(Object.entries(properties).map(([field, s]) => [field, validFor(s, depth + 1, field)]));
      if (Object.keys(fields).length === 0 && schema.additionalProperties !== false) {
        return fc.dictionary(
          fc.constantFrom(...FIXTURES, 'plan', 'tier'),
          validFor(
            schema.additionalProperties === true || !schema.additionalProperties ? { type: 'string' } : schema.additionalProperties,
            depth + 1,
          ),
          { maxKeys: 3 },
        );
      }
      return fc.record(fields, { requiredKeys: schema.required ?? [] });
    }
    case 'array':
      return fc.array(validFor(schema.items ?? {}, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, 3),
      });
    case 'string':
      if (hintFor(name))
        return fc.oneof(
          { arbitrary: hintFor(name) as fc.Arbitrary<string>, weight: 4 },
          { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
        );
      if (schema.pattern) {
        const matching = FIXTURES.filter((f) => new RegExp(schema.pattern).test(f));
        const patterned = fc.stringMatching(new RegExp(schema.pattern));
        return matching.length > 0 ? fc.oneof(fc.constantFrom(...matching), patterned) : patterned;
      }
      return fc.oneof(
        fc.constantFrom(...FIXTURES, '2026-03-02', '2026-03-02T10:00:00Z', 'Europe/London', 'daily'),
        fc.string({ minLength: schema.minLength ?? 0, maxLength: schema.maxLength ?? 30 }),
      );
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1000, -1e6), max: Math.min(schema.maximum ?? 1000, 1e6) });
    case 'number':
      return fc.oneof(
        fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true }),
        fc.constantFrom(...[schema.minimum, schema.maximum, 1, 0.5].filter((x) => typeof x === 'number')),
      );
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return anyJson;
  }
}

const pathParam = fc.oneof(
  { arbitrary: fc.constantFrom(...FIXTURES), weight: 6 },
  {
    arbitrary: fc.oneof(
      fc.constantFrom(
        '%00',
        'a%00b',
        '%',
        '%ZZ',
        '%E0%A4%A',
        '%2F',
        '..',
        '%2E%2E',
        'x'.repeat(255),
        'x'.repeat(256),
        'x'.repeat(600),
        '%F0%9F%8F%86'.repeat(255),
      ),
      hostileStrings.map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '?'))),
    ),
    weight: 4,
  },
);

const rawBodies = fc.constantFrom(
  '[]',
  'null',
  '"x"',
  '1e309',
  '{"a":',
  '{}',
  '['.repeat(5000) + ']'.repeat(5000),
  '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}',
);

function requestsFor(op: Operation, keys: { admin: string; app: string }): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const headerParams = op.params.filter((p) => p.in === 'header');
  const key = op.path.startsWith('/admin/') ? keys.admin : op.path.startsWith('/v1/') ? keys.app : null;
  return fc
    .record({
      path: fc.tuple(...pathParams.map(() => pathParam)),
      query: fc.tuple(...queryParams.map((p) => fc.option(arbitraryFor(p.schema), { freq: 2 }))),
      headers: fc.tuple(
        ...headerParams.map((p) =>
          fc.option(fc.oneof(fc.constantFrom('k-1', 'k-2'), fc.string({ maxLength: 300 })), { freq: 2 }).map((v) => [p.name, v] as const),
        ),
      ),
      body: op.body
        ? fc.oneof({ arbitrary: arbitraryFor(op.body).map((b) => JSON.stringify(b)), weight: 9 }, { arbitrary: rawBodies, weight: 1 })
        : fc.constant(undefined),
    })
    .map(({ path, query, headers, body }) => {
      let url = op.path;
      for (const [i, p] of pathParams.entries()) url = url.replace(`{${p.name}}`, path[i] as string);
      const search = new URLSearchParams();
      queryParams.forEach((p, i) => {
        const value = query[i];
        if (value !== null && value !== undefined) search.set(p.name, typeof value === 'string' ? value : JSON.stringify(value));
      });
      const qs = search.toString();
      const out: Record<string, string> = key ? { 'x-api-key': key } : {};
      for (const [name, value] of headers) if (value !== null && /^[\x20-\x7e]*$/.test(value)) out[name] = value;
      if (body !== undefined) out['content-type'] = 'application/json';
      return { method: op.method, url: qs ? `${url}?${qs}` : url, headers: out, ...(body !== undefined ? { payload: body } : {}) };
    });
}

function operationsOf(spec: { paths: Record<string, Record<string, any>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = op.requestBody?.content ?? {};
      // Badge upload is multipart (not described as JSON here); badge files have tests of their own.
      if (path === '/admin/v1/badges') continue;
      // A stream answers for as long as the client listens; celebrations.test.ts drives it.
      if (op.responses?.['200']?.content?.['text/event-stream']) continue;
      ops.push({ method: method.toUpperCase(), path, params: op.parameters ?? [], body: content['application/json']?.schema ?? null });
    }
  }
  return ops;
}

function isErrorShape(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  return (
    typeof b.error === 'string' &&
    b.error.length > 0 &&
    typeof b.code === 'string' &&
    (b.field === undefined || typeof b.field === 'string')
  );
}

/** Amounts in an answer that are not finite numbers (a stored Infinity reads back as null). */
function badAmounts(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => badAmounts(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    ['total', 'current', 'value'].includes(k) && !(typeof v === 'number' && Number.isFinite(v))
      ? [`${path}.${k} = ${JSON.stringify(v)}`]
      : badAmounts(v, `${path}.${k}`),
  );
}

describe.each(DIALECTS)('OpenAPI fuzz (%s)', (dialect) => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ dialect });
    await t.admin('POST', '/admin/v1/points-systems', { key: 'xp', name: 'XP', levels: [{ key: 'l1', name: 'One', points: 10 }] });
    await t.admin('POST', '/admin/v1/streaks', { key: 'daily', name: 'Daily', frequency: 'daily', metrics: [{ metric: 'steps' }] });
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'ach',
      name: 'Walker',
      criteria: { type: 'metric', metric: 'steps', threshold: 10 },
      rewards: [{ type: 'points', system: 'xp', amount: 5 }],
      status: 'active',
    });
    await t.admin('POST', '/admin/v1/leaderboards', { key: 'top', name: 'Top', rankBy: 'metric', metric: 'steps', status: 'active' });
    await t.api('POST', '/v1/metrics/steps/event', { user: { id: 'u1' }, value: 12 });
  });
  afterAll(() => t.close());

  it("answers every generated request without a 5xx, every 4xx in Laurel's shape, and stays healthy", { timeout: 240_000 }, async () => {
    const spec = (await t.laurel.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const operations = operationsOf(spec);
    expect(operations.length).toBeGreaterThan(60);
    const failures: string[] = [];
    let sent = 0;
    const statuses = new Map<number, number>();
    const started = Date.now();
    for (const [i, op] of operations.entries()) {
      const requests = fc.sample(requestsFor(op, { admin: ADMIN_KEY, app: t.appKey }), { seed: SEED + i, numRuns: PER_OPERATION });
      for (const r of requests) {
        const reply = await t.laurel.app.inject({
          method: r.method as 'GET',
          url: r.url,
          headers: r.headers,
          ...(r.payload !== undefined ? { payload: r.payload } : {}),
        });
        sent += 1;
        statuses.set(reply.statusCode, (statuses.get(reply.statusCode) ?? 0) + 1);
        const text = reply.body;
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        const where = `${r.method} ${r.url.slice(0, 200)} ${String(r.payload ?? '').slice(0, 200)} → ${reply.statusCode} ${text.slice(0, 300)}`;
        if (reply.statusCode >= 500) failures.push(where);
        else if (reply.statusCode >= 400 && !isErrorShape(body)) failures.push(`not in error shape: ${where}`);
      }
    }
    console.info(
      `fuzz (${dialect}): ${sent} requests over ${operations.length} operations in ${Date.now() - started} ms, ${failures.length} failures; by status ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
    expect(failures).toEqual([]);

    expect((await t.raw('GET', '/readyz')).status).toBe(200);
    // The fuzzer may have made metrics strict or turned achievements off: a normal event must still work once settings are normal.
    expect(
      (await t.admin('PATCH', '/admin/v1/settings', { strictMetrics: false, achievementsEnabled: true, lateEventHorizonDays: 30 })).status,
    ).toBe(200);
    const event = await t.api('POST', '/v1/metrics/after_fuzz/event', { user: { id: 'after' }, value: 2 });
    expect(event.status).toBe(201);
    expect(event.body.total).toBe(2);
    for (const url of [
      '/v1/users/u1/metrics',
      '/v1/users/after/metrics',
      '/v1/points/xp/summary',
      '/v1/leaderboards/top',
      '/v1/streaks/rankings',
    ]) {
      const reply = await t.api('GET', url);
      expect(reply.status, url).toBeLessThan(500);
      expect(badAmounts(reply.body), url).toEqual([]);
    }
  });
});
