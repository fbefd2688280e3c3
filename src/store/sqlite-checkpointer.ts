/**
 * Checkpoints SQLite's write-ahead log from a worker thread. In WAL mode each commit appends pages
 * to the log, and by default the commit that takes it past 1,000 pages copies them back into the
 * database file and fsyncs it, on the event loop, stalling every request queued behind it (about a
 * third of the server's time under a stream of single events). Once the log has filled that far,
 * a worker thread with its own connection takes over: it runs PASSIVE checkpoints, which never
 * block the writer, and the main connection only checkpoints itself past a much larger backstop.
 * Under a steady stream of commits the worker never quite finishes (each commit adds frames behind
 * it) and SQLite rewinds the log only once every frame is back in the database, so the log runs up
 * to that backstop: each such checkpoint on the event loop shows in the latency tail, and making
 * them rare (400 MB of log apart) took single events at 32 connections from p99 50 ms to 24 ms.
 * After each rewind the file is cut back to `journal_size_limit`. Small deployments and tests never
 * start the worker.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** SQLite's own default: the log size at which a commit checkpoints. */
const DEFAULT_PAGES = 1000;
const BACKSTOP_PAGES = 100_000;
/** What the log file is cut back to when it rewinds (bytes). */
const LOG_SIZE_LIMIT = 64 * 1024 * 1024;

// Plain CommonJS: evaluated as the worker's script, so it needs no build step or loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
// A failure is reported when it starts, not every time it repeats (a full disk fails every checkpoint).
let failing = null;
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    failing = null;
  } catch (error) {
    if (String(error) !== failing) parentPort.postMessage(String(error));
    failing = String(error);
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class SqliteCheckpointer {
  private worker: Worker | null = null;
  private readonly watch: NodeJS.Timeout;

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly file: string,
    private readonly onError: (message: string) => void = () => undefined,
    private readonly timing = { watchMs: 1000, checkpointMs: 100 },
  ) {
    this.watch = setInterval(() => this.startIfNeeded(), timing.watchMs).unref();
  }

  /** Whether the worker is checkpointing (the log has filled once). */
  get running(): boolean {
    return this.worker !== null;
  }

  private startIfNeeded(): void {
    const pageSize = this.sqlite.pragma('page_size', { simple: true }) as number;
    const walBytes = fs.statSync(`${this.file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    if (walBytes < DEFAULT_PAGES * pageSize) return;
    clearInterval(this.watch);
    this.sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    this.sqlite.pragma(`journal_size_limit = ${LOG_SIZE_LIMIT}`);
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: this.file, everyMs: this.timing.checkpointMs } });
    this.worker.on('message', (message: string) => this.onError(message));
    this.worker.on('error', (error) => {
      // Without the worker, the main connection checkpoints as it would by default.
      this.onError(String(error));
      this.worker = null;
      this.sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_PAGES}`);
    });
    this.worker.unref();
  }

  /** Stops the worker and closes its connection (before the main one closes, which then checkpoints the rest). */
  async stop(): Promise<void> {
    clearInterval(this.watch);
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    // Unreferenced while it runs (it must not keep a finished process alive); referenced while we
    // wait for it to close, or the process could exit with this wait unfinished.
    worker.ref();
    worker.postMessage('stop');
    await exited;
  }
}
