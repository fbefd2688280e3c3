/** /openapi.json documents what every route answers, not just that it answers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

/** What fastify-swagger writes for a response whose schema says nothing about it. */
const UNDOCUMENTED = 'Default Response';

describe('/openapi.json', () => {
  let t: TestLaurel;
  let spec: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };
  beforeAll(async () => {
    t = await startLaurel();
    spec = (await t.raw('GET', '/openapi.json')).body;
  });
  afterAll(() => t.close());

  /** A schema, or the component its $ref names. */
  const deref = (schema: any): any =>
    typeof schema?.$ref === 'string' ? spec.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;

  /** Every success answer of every operation: "GET /v1/users/{id} 200" with its OpenAPI response. */
  function successes(): [string, any][] {
    return Object.entries(spec.paths).flatMap(([path, byMethod]) =>
      Object.entries<any>(byMethod).flatMap(([method, op]) =>
        Object.entries<any>(op.responses ?? {})
          .filter(([status]) => status.startsWith('2'))
          .map(([status, response]): [string, any] => [`${method.toUpperCase()} ${path} ${status}`, response]),
      ),
    );
  }

  it('gives every success answer of every route a schema with its fields, or documents it as empty', () => {
    const answers = successes();
    const undocumented: string[] = [];
    for (const [answer, response] of answers) {
      const contents = Object.values<any>(response.content ?? {});
      if (contents.length === 0) {
        if (!answer.endsWith(' 204') || response.description === UNDOCUMENTED) undocumented.push(answer);
        continue;
      }
      for (const content of contents) {
        const schema = deref(content.schema);
        const fields = schema?.type === 'array' ? deref(schema.items)?.properties : schema?.properties;
        if (Object.keys(fields ?? {}).length === 0) undocumented.push(answer);
      }
    }
    expect(answers.length).toBeGreaterThanOrEqual(65);
    expect(undocumented).toEqual([]);
  });

  it('describes every field of those answers', () => {
    const undescribed = new Set<string>();
    const walk = (reference: any, where: string): void => {
      const schema = deref(reference);
      if (!schema || typeof schema !== 'object') return;
      for (const [key, referenced] of Object.entries<any>(schema.properties ?? {})) {
        const member = deref(referenced);
        if (!member.description && !member.anyOf && !member.oneOf) undescribed.add(`${where}.${key}`);
        walk(member, `${where}.${key}`);
      }
      walk(schema.items, `${where}[]`);
      walk(schema.additionalProperties, `${where}.*`);
      for (const member of Object.values<any>(schema.patternProperties ?? {})) walk(member, `${where}.*`);
      for (const key of ['anyOf', 'oneOf']) for (const member of schema[key] ?? []) walk(member, where);
    };
    for (const [answer, response] of successes()) {
      for (const content of Object.values<any>(response.content ?? {})) walk(content.schema, answer);
    }
    expect([...undescribed]).toEqual([]);
  });
});
