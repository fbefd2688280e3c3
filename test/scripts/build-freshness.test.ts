import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildIfChanged, fingerprint } from '../../scripts/build.js';

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

describe('building only what changed', () => {
  let root: string;
  let said: string;
  // A stand-in for tsc: copies the source into dist/, or fails when the source says so.
  const widget = {
    name: 'the widget',
    inputs: ['src'],
    output: 'dist/out.txt',
    command: () => [
      '-e',
      "const fs = require('fs'); const s = fs.readFileSync('src/a.ts', 'utf8'); if (s === 'broken') process.exit(2); fs.mkdirSync('dist', { recursive: true }); fs.writeFileSync('dist/out.txt', s);",
    ],
  };
  const project = () => ({ root, parts: [widget] });
  const edit = (text: string) => fs.writeFileSync(path.join(root, 'src/a.ts'), text);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-build-'));
    fs.mkdirSync(path.join(root, 'src'));
    edit('one');
    said = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((text) => {
      said += String(text);
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('builds on the first run and after an edit, saying which, and does nothing silently otherwise', async () => {
    expect(await buildIfChanged(project())).toEqual(['the widget']);
    expect(said).toBe('Building the widget (about half a minute)\n');
    said = '';
    expect(await buildIfChanged(project())).toEqual([]);
    expect(said).toBe('');
    edit('two');
    expect(await buildIfChanged(project())).toEqual(['the widget']);
    expect(said).toBe('Sources changed since the last build: rebuilding the widget (about half a minute)\n');
    expect(fs.readFileSync(path.join(root, 'dist/out.txt'), 'utf8')).toBe('two');
  });

  it('rebuilds when the output is gone, or the last build failed', async () => {
    await buildIfChanged(project());
    fs.rmSync(path.join(root, 'dist/out.txt'));
    expect(await buildIfChanged(project())).toEqual(['the widget']);
    edit('broken');
    await expect(buildIfChanged(project())).rejects.toThrow('failed (exit code 2)');
    await expect(buildIfChanged(project())).rejects.toThrow('failed (exit code 2)');
    edit('two');
    expect(await buildIfChanged(project())).toEqual(['the widget']);
  });
});
