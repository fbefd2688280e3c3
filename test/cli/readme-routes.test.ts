/** The README's endpoint tables against the routes the server documents in /openapi.json. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

/** Served without being API operations, so absent from /openapi.json. */
const NOT_IN_OPENAPI = [
  'GET /badges/{}/{}',
  'GET /dashboard',
  'GET /share/{}',
  'GET /widgets/laurel.js',
  'GET /widgets/laurel-{}.js',
  'GET /widgets/manifest.json',
  'GET /widgets/demo',
];

/** "GET /v1/users/{id}/metrics" with every path parameter written "{}", as "METHOD /path" strings. */
function operations(paths: Record<string, Record<string, unknown>>): string[] {
  return Object.entries(paths).flatMap(([route, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${route.replace(/\{[^}]+\}/g, '{}')}`),
  );
}

/**
 * The operations the README's API tables list. A cell like `GET/PATCH /v1/users/{id}/metrics[/{key}]`
 * stands for each method on each path; query strings are left out, and a path starting with "…"
 * (written without methods) continues the one before it in the same cell, with its methods.
 */
function readmeOperations(): string[] {
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
  const section = readme.split('## API overview')[1]?.split('\n## ')[0] ?? '';
  const cells = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split(' | ')[0] ?? '');
  return cells.flatMap((cell) => {
    let previous = '';
    let previousMethods = '';
    return [...cell.matchAll(/`(?:([A-Z/]+) )?([^`]+)`/g)].flatMap(([, writtenMethods, written = '']) => {
      const methods = writtenMethods ?? previousMethods;
      previousMethods = methods;
      const base = written.replace(/\[?\?[^\]]*\]?$/, '');
      const full = base.startsWith('…') ? previous.replace(/\/[^/]+$/, '') + base.slice(1) : base;
      previous = full.replace(/\[.*\]$/, '');
      const optional = full.match(/^(.*)\[(\/[^\]]+)\]$/);
      const variants = optional ? [optional[1] ?? '', `${optional[1]}${optional[2]}`] : [full];
      return methods.split('/').flatMap((method) => variants.map((p) => `${method} ${p.replace(/\{[^}]+\}/g, '{}')}`));
    });
  });
}

describe("the README's endpoint tables", () => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel();
  });
  afterAll(async () => t.close());

  it('list exactly the routes the server answers', async () => {
    const served = operations((await t.raw<{ paths: Record<string, Record<string, unknown>> }>('GET', '/openapi.json')).body.paths);
    const documented = readmeOperations();
    expect(
      served.filter((op) => !documented.includes(op)),
      'served but not in the README',
    ).toEqual([]);
    expect(
      documented.filter((op) => !served.includes(op) && !NOT_IN_OPENAPI.includes(op)),
      'in the README but not served',
    ).toEqual([]);
  });
});
