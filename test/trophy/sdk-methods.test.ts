import fs from 'node:fs';
import path from 'node:path';
import { TrophyApiClient } from '@trophyso/node';
import { describe, expect, it } from 'vitest';

/** Every method of the installed SDK, as "resource.method" (admin ones nested). */
function sdkMethods(): string[] {
  const client = new TrophyApiClient({ apiKey: 'x', environment: { api: 'http://127.0.0.1/v1', admin: 'http://127.0.0.1/admin/v1' } });
  const out: string[] = [];
  const visit = (resource: object, prefix: string) => {
    const proto = Object.getPrototypeOf(resource) as object;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name.startsWith('_')) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (descriptor?.get) visit((resource as Record<string, object>)[name] as object, `${prefix}${name}.`);
      else if (typeof descriptor?.value === 'function') out.push(`${prefix}${name}`);
    }
  };
  visit(client, '');
  return out.sort();
}

describe('the compatibility table', () => {
  it('lists every method of the installed SDK, none of them missing', () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/trophy-compat.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-zA-Z.]+)` \| [^|]+ \| ([^|]+) \|$/gm)];
    const documented = rows.map((r) => r[1] as string).sort();
    expect(sdkMethods()).toEqual(documented);
    expect(rows.filter((r) => /missing/i.test(r[2] as string))).toEqual([]);
  });
});
