/**
 * The widgets' whole bundle stays small enough to drop into any page: at most 40 KB gzipped. Skips
 * (saying why) when it is not built, except under CI=true, where an unbuilt bundle fails the run.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { skipUnless } from '../support/requirements.js';

const BUNDLE = path.resolve(import.meta.dirname, '../../dist/web/widgets/laurel.js');
const LIMIT = 40 * 1024;

const SKIP = skipUnless('the widget bundle size test', [
  { file: BUNDLE, missing: `the widgets are not built (${BUNDLE} is missing: run npm run build)` },
]);

describe.skipIf(SKIP !== null)('widget bundle', () => {
  it('is at most 40 KB gzipped, with lit inside', () => {
    const code = fs.readFileSync(BUNDLE);
    const gzipped = zlib.gzipSync(code, { level: 9 }).length;
    console.info(`dist/web/widgets/laurel.js: ${code.length} bytes, ${gzipped} gzipped`);
    expect(gzipped).toBeLessThanOrEqual(LIMIT);
    // One self-contained module: no import of a bare package name left for the browser to resolve.
    expect(code.toString('utf8')).not.toMatch(/\bfrom\s*["'](?!\.|\/|https?:)/);
    for (const name of [
      'laurel-achievements',
      'laurel-achievement',
      'laurel-celebration',
      'laurel-points',
      'laurel-streak',
      'laurel-leaderboard',
    ]) {
      expect(code.toString('utf8')).toContain(`"${name}"`);
    }
  });
});
