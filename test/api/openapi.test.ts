/** /openapi.json documents what the routes answer, not just that they answer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

/** The routes whose answers are documented so far: the application API and the admin achievements. */
const COVERED = [/^\/v1\//, /^\/admin\/v1\/achievements(\/\{key\})?$/];

describe('/openapi.json', () => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel();
  });
  afterAll(() => t.close());

  it('gives every answer of the covered routes a schema with its fields', async () => {
    const spec = (await t.raw('GET', '/openapi.json')).body;
    const covered = Object.entries<Record<string, any>>(spec.paths).filter(([path]) => COVERED.some((p) => p.test(path)));
    const undocumented: string[] = [];
    let operations = 0;
    for (const [path, byMethod] of covered) {
      for (const [method, op] of Object.entries<any>(byMethod)) {
        operations += 1;
        for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
          for (const content of Object.values<any>(response.content ?? {})) {
            const schema = content.schema;
            if (schema?.type === 'null') continue;
            const fields = schema?.type === 'array' ? schema.items?.properties : schema?.properties;
            if (Object.keys(fields ?? {}).length === 0) undocumented.push(`${method.toUpperCase()} ${path} ${status}`);
          }
        }
      }
    }
    expect(operations).toBeGreaterThanOrEqual(30);
    expect(undocumented).toEqual([]);
  });

  it('describes every field of those answers', async () => {
    const spec = (await t.raw('GET', '/openapi.json')).body;
    const undescribed = new Set<string>();
    const walk = (schema: any, where: string): void => {
      if (!schema || typeof schema !== 'object') return;
      for (const [key, member] of Object.entries<any>(schema.properties ?? {})) {
        if (!member.description && !member.anyOf && !member.oneOf) undescribed.add(`${where}.${key}`);
        walk(member, `${where}.${key}`);
      }
      walk(schema.items, `${where}[]`);
      for (const member of Object.values<any>(schema.patternProperties ?? {})) walk(member, `${where}.*`);
      for (const key of ['anyOf', 'oneOf']) for (const member of schema[key] ?? []) walk(member, where);
    };
    for (const [path, operations] of Object.entries<Record<string, any>>(spec.paths)) {
      if (!COVERED.some((p) => p.test(path))) continue;
      for (const [method, op] of Object.entries<any>(operations)) {
        for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
          if (!status.startsWith('2')) continue;
          for (const content of Object.values<any>(response.content ?? {})) walk(content.schema, `${method.toUpperCase()} ${path}`);
        }
      }
    }
    expect([...undescribed]).toEqual([]);
  });
});
