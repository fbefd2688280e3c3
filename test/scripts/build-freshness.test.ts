import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../scripts/build.js';

describe("the build's record of the sources it was built from", () => {
  let root: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  const sources = () => fingerprint(root, ['src', 'tsconfig.json']);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-build-'));
    write('src/a.ts', 'export const a = 1;\n');
    write('src/cli/b.ts', 'export const b = 2;\n');
    write('tsconfig.json', '{}\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('stays the same when files are only touched (as a checkout or a copy does)', () => {
    const before = sources();
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'src/a.ts'), later, later);
    expect(sources()).toBe(before);
  });

  it('changes when a file is edited, added, removed or renamed, or a listed file changes', () => {
    const seen = new Set([sources()]);
    const changes = [
      () => write('src/a.ts', 'export const a = 10;\n'),
      () => write('src/c.ts', ''),
      () => fs.rmSync(path.join(root, 'src/a.ts')),
      () => fs.renameSync(path.join(root, 'src/cli/b.ts'), path.join(root, 'src/cli/bb.ts')),
      () => write('tsconfig.json', '{ "compilerOptions": {} }\n'),
    ];
    for (const change of changes) {
      change();
      const now = sources();
      expect(seen.has(now)).toBe(false);
      seen.add(now);
    }
  });

  it('does not depend on files outside the listed sources', () => {
    const before = sources();
    write('README.md', 'notes\n');
    write('dist/src/a.js', 'export const a = 1;\n');
    expect(sources()).toBe(before);
  });
});
