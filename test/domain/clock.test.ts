import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the clock', () => {
  it('is the only place that reads the current date, so tests can travel in time', () => {
    const root = path.resolve(import.meta.dirname, '../../src');
    const offenders: string[] = [];
    const visit = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) visit(full);
        else if (full.endsWith('.ts') && !full.endsWith(path.join('engine', 'clock.ts'))) {
          const text = fs.readFileSync(full, 'utf8');
          if (/Date\.now\(\)|new Date\(\)|DateTime\.now\(\)|DateTime\.local\(\)/.test(text)) offenders.push(path.relative(root, full));
        }
      }
    };
    visit(root);
    expect(offenders).toEqual([]);
  });
});
