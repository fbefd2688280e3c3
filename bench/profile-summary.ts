/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): the top functions by self time and by inclusive
 * time, time by file or package, and the heaviest call paths into the top self-time functions.
 *
 *   npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 25] [--markdown]
 */
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionTime {
  name: string;
  location: string;
  selfMs: number;
  selfPct: number;
  totalMs: number;
  totalPct: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Sampled time outside idle and garbage collection ("(program)", "(idle)", "(garbage collector)" shown separately). */
  bySelf: FunctionTime[];
  byTotal: FunctionTime[];
  /** Laurel's own functions (src/) by inclusive time. */
  own: FunctionTime[];
  byPlace: { place: string; selfMs: number; selfPct: number }[];
  paths: { function: string; selfPct: number; path: string[]; pct: number }[];
}

const ROOT = path.resolve(import.meta.dirname, '..');

const sourceMaps = new Map<string, SourceMap | null>();

/** The source map next to a compiled file (dist/…/x.js.map), if any. */
function sourceMapOf(file: string): SourceMap | null {
  if (!sourceMaps.has(file)) {
    let map: SourceMap | null = null;
    try {
      map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null;
    }
    sourceMaps.set(file, map);
  }
  return sourceMaps.get(file) ?? null;
}

/**
 * Where a frame lives, short: src/engine/ingest-events.ts:120 (compiled dist/ positions mapped back
 * to the TypeScript source), node_modules/kysely/…, node:internal/…, (native).
 */
function locationOf(frame: CallFrame): string {
  let url = frame.url;
  if (!url) return '(native)';
  let line = frame.lineNumber + 1;
  if (url.startsWith('file://')) {
    url = fileURLToPath(url);
    const map = url.includes(`${path.sep}dist${path.sep}`) ? sourceMapOf(url) : null;
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number } | undefined;
    if (entry?.originalSource) {
      const source = entry.originalSource.startsWith('file://')
        ? fileURLToPath(entry.originalSource)
        : path.resolve(path.dirname(url), entry.originalSource);
      url = source;
      line = (entry.originalLine ?? 0) + 1;
    }
  }
  if (url.startsWith(ROOT)) url = path.relative(ROOT, url);
  return `${url}:${line}`;
}

/** The package or source area a frame belongs to: kysely, better-sqlite3, src/engine, node:internal… */
function placeOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native: V8 built-ins and addons)';
  const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (modules) return modules[1] as string;
  if (url.startsWith('node:')) return url.startsWith('node:internal') ? 'node:internal' : url;
  const local = url.startsWith('file://') ? fileURLToPath(url) : url;
  const relative = path.relative(ROOT, local);
  if (!relative.startsWith('..')) return path.dirname(relative).replace(/^dist\//, '');
  return url;
}

const nameOf = (frame: CallFrame) => frame.functionName || '(anonymous)';
const keyOf = (frame: CallFrame) => `${nameOf(frame)} ${locationOf(frame)}`;

export function summarise(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Self time per node from the samples (timeDeltas[i] is the time before sample i; attribute it to sample i).
  const selfUs = new Map<number, number>();
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = Math.max(0, profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0);
    const id = profile.samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    totalUs += dt;
  }

  const stackOf = (id: number): ProfileNode[] => {
    const out: ProfileNode[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) out.push(byId.get(cur) as ProfileNode);
    return out; // leaf first
  };

  const self = new Map<string, { frame: CallFrame; us: number }>();
  const total = new Map<string, { frame: CallFrame; us: number }>();
  const places = new Map<string, number>();
  const callers = new Map<string, Map<string, number>>();
  for (const [id, us] of selfUs) {
    const stack = stackOf(id);
    const leaf = (stack[0] as ProfileNode).callFrame;
    const k = keyOf(leaf);
    const s = self.get(k) ?? { frame: leaf, us: 0 };
    s.us += us;
    self.set(k, s);
    places.set(placeOf(leaf), (places.get(placeOf(leaf)) ?? 0) + us);
    const seen = new Set<string>();
    for (const node of stack) {
      const fk = keyOf(node.callFrame);
      if (seen.has(fk) || node.callFrame.functionName === '(root)') continue;
      seen.add(fk);
      const t = total.get(fk) ?? { frame: node.callFrame, us: 0 };
      t.us += us;
      total.set(fk, t);
    }
    // The path into the leaf: its callers up to the first of Laurel's own frames (src/), at most 10.
    const chain: string[] = [];
    for (const n of stack.slice(1)) {
      if (n.callFrame.functionName === '(root)' || chain.length >= 10) break;
      const where = locationOf(n.callFrame);
      chain.push(`${nameOf(n.callFrame)} (${where})`);
      if (where.startsWith('src/')) break;
    }
    const byChain = callers.get(k) ?? new Map<string, number>();
    const chainKey = chain.join('\n');
    byChain.set(chainKey, (byChain.get(chainKey) ?? 0) + us);
    callers.set(k, byChain);
  }

  const pct = (us: number) => (100 * us) / Math.max(1, totalUs);
  const view = (k: string, frame: CallFrame): FunctionTime => {
    const s = self.get(k)?.us ?? 0;
    const t = total.get(k)?.us ?? 0;
    return { name: nameOf(frame), location: locationOf(frame), selfMs: s / 1000, selfPct: pct(s), totalMs: t / 1000, totalPct: pct(t) };
  };
  const bySelf = [...self.entries()]
    .sort((a, b) => b[1].us - a[1].us)
    .slice(0, top)
    .map(([k, v]) => view(k, v.frame));
  const byTotal = [...total.entries()]
    .filter(([, v]) => !['(program)', '(idle)', '(garbage collector)'].includes(v.frame.functionName))
    .sort((a, b) => b[1].us - a[1].us)
    .slice(0, top)
    .map(([k, v]) => view(k, v.frame));
  const byPlace = [...places.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([place, us]) => ({ place, selfMs: us / 1000, selfPct: pct(us) }));
  const own = [...total.entries()]
    .filter(([, v]) => locationOf(v.frame).startsWith('src/'))
    .sort((a, b) => b[1].us - a[1].us)
    .slice(0, top)
    .map(([k, v]) => view(k, v.frame));
  const paths = bySelf
    .filter((f) => !f.name.startsWith('('))
    .slice(0, 10)
    .flatMap((f) => {
      const k = `${f.name} ${f.location}`;
      return [...(callers.get(k) ?? new Map<string, number>()).entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 2)
        .map(([chain, us]) => ({
          function: `${f.name} (${f.location})`,
          selfPct: f.selfPct,
          path: chain ? chain.split('\n') : [],
          pct: pct(us),
        }));
    });
  return { totalMs: totalUs / 1000, bySelf, byTotal, own, byPlace, paths };
}

const fmt = (n: number) => n.toFixed(1);

export function renderSummary(title: string, s: ProfileSummary, top = 25): string {
  const lines: string[] = [];
  lines.push(`### ${title}`, '', `Sampled time: ${(s.totalMs / 1000).toFixed(2)} s`, '');
  lines.push('Top functions by self time:', '', '| self % | self ms | total % | function | where |', '|---:|---:|---:|---|---|');
  for (const f of s.bySelf.slice(0, top))
    lines.push(`| ${fmt(f.selfPct)} | ${fmt(f.selfMs)} | ${fmt(f.totalPct)} | \`${f.name}\` | ${f.location} |`);
  lines.push('', 'Top functions by inclusive time:', '', '| total % | self % | function | where |', '|---:|---:|---|---|');
  for (const f of s.byTotal.slice(0, top)) lines.push(`| ${fmt(f.totalPct)} | ${fmt(f.selfPct)} | \`${f.name}\` | ${f.location} |`);
  lines.push('', "Laurel's own functions (src/) by inclusive time:", '', '| total % | self % | function | where |', '|---:|---:|---|---|');
  for (const f of s.own.slice(0, top)) lines.push(`| ${fmt(f.totalPct)} | ${fmt(f.selfPct)} | \`${f.name}\` | ${f.location} |`);
  lines.push('', 'Self time by package or source folder:', '', '| self % | place |', '|---:|---|');
  for (const p of s.byPlace.slice(0, 15)) lines.push(`| ${fmt(p.selfPct)} | ${p.place} |`);
  lines.push('', 'Heaviest call paths into the top self-time functions, up to the first frame in src/ (callee first):', '');
  for (const p of s.paths) lines.push(`- ${fmt(p.pct)} % \`${p.function}\` ← ${p.path.join(' ← ') || '(top level)'}`);
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
  const files = args.filter((a, i) => !a.startsWith('--') && !(topAt >= 0 && i === topAt + 1));
  if (files.length === 0) {
    process.stderr.write('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> … [--top N]\n');
    process.exit(2);
  }
  for (const file of files) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
    process.stdout.write(renderSummary(path.basename(file), summarise(profile, top), top));
  }
}
