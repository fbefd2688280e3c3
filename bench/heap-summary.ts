/**
 * Summarises a V8 heap snapshot (`v8.writeHeapSnapshot()`): what the live heap is made of, by
 * constructor or kind of object, largest first. Taking the snapshot collects garbage first, so
 * this is what stays reachable, not what a run allocates and drops.
 *
 *   npx tsx bench/heap-summary.ts <file.heapsnapshot> [--top 20]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapSummary {
  totalBytes: number;
  objects: number;
  byConstructor: { name: string; type: string; count: number; bytes: number; pct: number }[];
}

export function summariseHeap(snapshot: Snapshot, top = 20): HeapSummary {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups = new Map<string, { name: string; type: string; count: number; bytes: number }>();
  let total = 0;
  let objects = 0;
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt] as number] as string;
    const size = snapshot.nodes[i + sizeAt] as number;
    // Strings, code and arrays are grouped by kind; objects and closures by constructor name.
    const name = type === 'object' || type === 'closure' ? (snapshot.strings[snapshot.nodes[i + nameAt] as number] ?? '?') : `(${type})`;
    const key = `${type}\u0000${name}`;
    const g = groups.get(key) ?? { name, type, count: 0, bytes: 0 };
    g.count += 1;
    g.bytes += size;
    groups.set(key, g);
    total += size;
    objects += 1;
  }
  const byConstructor = [...groups.values()]
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top)
    .map((g) => ({ ...g, pct: (100 * g.bytes) / Math.max(1, total) }));
  return { totalBytes: total, objects, byConstructor };
}

export function renderHeapSummary(title: string, s: HeapSummary, top = 20): string {
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  const lines = [
    `### ${title}`,
    '',
    `Live heap after a full garbage collection: ${mb(s.totalBytes)} MB in ${s.objects.toLocaleString('en-US')} objects.`,
    '',
    '| MB | % | count | constructor or kind |',
    '|---:|---:|---:|---|',
    ...s.byConstructor
      .slice(0, top)
      .map((g) => `| ${mb(g.bytes)} | ${g.pct.toFixed(1)} | ${g.count.toLocaleString('en-US')} | \`${g.name.slice(0, 80)}\` |`),
  ];
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 20;
  const file = args.find((a, i) => !a.startsWith('--') && !(topAt >= 0 && i === topAt + 1));
  if (!file) {
    process.stderr.write('usage: npx tsx bench/heap-summary.ts <file.heapsnapshot> [--top N]\n');
    process.exit(2);
  }
  const snapshot = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
  process.stdout.write(renderHeapSummary(path.basename(file), summariseHeap(snapshot, top), top));
}
