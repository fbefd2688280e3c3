/**
 * SVG rebuilding off the event loop. jsdom and DOMPurify are synchronous: at the size limits one
 * rebuild took 1.3–2.9 s on two loaded cores, during which a server rebuilding in its own thread
 * would answer nothing else. One worker thread, started on the first SVG upload and kept while the
 * process lives (it does not hold the process open), takes them one at a time.
 */
import { Worker } from 'node:worker_threads';
import { invalid, LaurelError, unavailable } from '../domain/errors.js';
import type { RebuildAnswer, RebuildRequest } from './svg-rebuild-worker.js';

/** Rebuilds waiting at once beyond which uploads are refused for now (each takes up to seconds). */
const MAX_WAITING = 16;
/** Far beyond what a file within the limits takes (under 6 s on two loaded cores): the worker is stuck. */
const REBUILD_TIMEOUT_MS = 30_000;

const WORKER_URL = new URL(`./svg-rebuild-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

interface Pending {
  resolve(svg: string): void;
  reject(error: Error): void;
}

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 1;

function started(): Worker {
  if (worker) return worker;
  const created = WORKER_URL.pathname.endsWith('.ts') ? new Worker(tsxBootstrap(), { eval: true }) : new Worker(WORKER_URL);
  created.unref();
  created.on('message', (answer: RebuildAnswer) => {
    const waiting = pending.get(answer.id);
    if (!waiting) return;
    pending.delete(answer.id);
    if (pending.size === 0) created.unref();
    if ('svg' in answer) waiting.resolve(answer.svg);
    else if ('refused' in answer) {
      const { kind, code, message, field } = answer.refused;
      waiting.reject(new LaurelError(kind, code, message, field));
    } else waiting.reject(new Error(`Rebuilding an SVG failed: ${answer.failed}`));
  });
  const abandon = (error: Error) => {
    if (worker === created) worker = undefined;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  created.on('error', abandon);
  created.on('exit', (code) => abandon(new Error(`The SVG rebuild worker exited (code ${code})`)));
  worker = created;
  return created;
}

/**
 * Run from source (tests, `npm run dev`), the worker registers tsx to load TypeScript as its parent
 * did. tsx is resolved from here, not from the working directory, which may be anywhere.
 */
function tsxBootstrap(): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
}

/** The SVG rebuilt by SvgSanitizer in the worker thread; its LaurelErrors (422s) arrive as they were thrown. */
export function rebuildSvg(text: string): Promise<string> {
  if (pending.size >= MAX_WAITING) {
    return Promise.reject(
      unavailable('overloaded', 'Too many SVG badges are being rebuilt right now; try again shortly', { retryAfter: 5 }),
    );
  }
  const target = started();
  const id = nextId++;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // The worker is stopped (a new one starts with the next upload); this file is the likely cause.
      pending.delete(id);
      reject(invalid('badge_too_complex', `The SVG took more than ${REBUILD_TIMEOUT_MS / 1000} s to rebuild`, 'file'));
      void target.terminate();
    }, REBUILD_TIMEOUT_MS);
    timer.unref();
    const settle =
      <T>(done: (value: T) => void) =>
      (value: T) => {
        clearTimeout(timer);
        done(value);
      };
    pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
    target.ref();
    target.postMessage({ id, text } satisfies RebuildRequest);
  });
}
