/**
 * Group commit: requests that arrive while their lane's transaction is running wait for it, then
 * commit together in the next one. A transaction's fixed cost (begin, the rules' version check,
 * commit and its write to the log) is then paid once per group instead of once per request, so
 * many clients each sending single events go nearly as fast as one client sending batches. An idle
 * lane starts on the event loop's next turn, after the requests already read from the network have
 * queued (an in-process database like SQLite would otherwise finish each transaction before the
 * next request is even parsed): grouping costs no waiting, it only forms under load.
 *
 * Each request keeps its own answer. The commit settles each request: one it can tell is bad up
 * front is refused alone while the rest commit. If a grouped transaction fails anyway, its requests
 * run again one by one, so everyone's outcome is what it would have been alone; unless the store
 * cannot serve at all (an outage, 503), which every request of the group is then told at once.
 *
 * The queue is bounded: when too many units wait, or the oldest has waited too long (the database
 * is not keeping up, however many units that is on this machine), a new request is refused at once
 * (503 overloaded, retry in a second) instead of waiting its turn behind them, so the requests that
 * are accepted keep a bounded latency however many clients ask.
 */
import { LaurelError, unavailable } from '../domain/errors.js';

export type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface GroupCommitOptions<I, O> {
  /** Commits the requests of one group in one transaction; one result per input, in order. */
  commit: (inputs: readonly I[]) => Promise<Settled<O>[]>;
  /** The most units (events) one group may hold; a larger request still forms a group alone. */
  maxSize: number;
  /**
   * How many groups of one lane may commit at once. 1 where the database has one writer (SQLite);
   * more where transactions overlap (PostgreSQL): while one group waits on the network and the
   * log flush, the next is formed and sent.
   */
  concurrency?: number;
  /**
   * The most units that may wait, over all lanes, beyond which a request is refused (one arriving
   * when nothing waits is always taken, however large). Unbounded when absent.
   */
  maxQueued?: number;
  /** The longest the oldest waiting request may have waited, in ms, beyond which a request is refused. */
  maxWaitMs?: number;
  /** The clock `maxWaitMs` is measured on. */
  now?: () => number;
}

/** What a refused request is told: the queue drains within about a second. */
const RETRY_AFTER_S = 1;

interface Waiting<I, O> {
  input: I;
  size: number;
  queuedAt: number;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

interface Lane<I, O> {
  queue: Waiting<I, O>[];
  /** Groups being formed or committed. */
  running: number;
}

export class GroupCommit<I, O> {
  private readonly lanes = new Map<string, Lane<I, O>>();
  /** Units waiting in every lane's queue (not yet in a group). */
  private queued = 0;

  constructor(private readonly options: GroupCommitOptions<I, O>) {}

  /** Queues a request on its lane (requests only group with others of the same lane). */
  submit(lane: string, input: I, size: number): Promise<O> {
    const now = this.options.now?.() ?? 0;
    const overload = this.overload(size, now);
    if (overload)
      return Promise.reject(unavailable('overloaded', `${overload}; retry in ${RETRY_AFTER_S} s`, { retryAfter: RETRY_AFTER_S }));
    this.queued += size;
    let l = this.lanes.get(lane);
    if (!l) this.lanes.set(lane, (l = { queue: [], running: 0 }));
    const done = new Promise<O>((resolve, reject) => (l as Lane<I, O>).queue.push({ input, size, queuedAt: now, resolve, reject }));
    if (l.running < (this.options.concurrency ?? 1)) {
      l.running += 1;
      const started = l;
      setImmediate(() => void this.drain(lane, started));
    }
    return done;
  }

  /** Why a request of `size` units must be refused now, or null (a request finding nothing waiting is always taken). */
  private overload(size: number, now: number): string | null {
    if (this.queued === 0) return null;
    const { maxQueued, maxWaitMs } = this.options;
    if (maxQueued !== undefined && this.queued + size > maxQueued) return `Too many events are waiting to be saved (${this.queued})`;
    if (maxWaitMs !== undefined) {
      let oldest = now;
      for (const lane of this.lanes.values()) oldest = Math.min(oldest, lane.queue[0]?.queuedAt ?? now);
      if (now - oldest > maxWaitMs) return `Events are waiting more than ${maxWaitMs} ms to be saved`;
    }
    return null;
  }

  private async drain(key: string, lane: Lane<I, O>): Promise<void> {
    while (lane.queue.length > 0) {
      const group = this.take(lane);
      try {
        const results = await this.options.commit(group.map((w) => w.input));
        group.forEach((w, i) => {
          settle(w, results[i] as Settled<O>);
        });
      } catch (error) {
        // The store cannot serve (database away, storage failing, overloaded): each request alone
        // would only meet the same refusal, one wait at a time.
        if (group.length === 1 || isUnavailable(error)) for (const w of group) w.reject(error);
        else for (const w of group) await this.alone(w);
      }
    }
    lane.running -= 1;
    if (lane.running === 0) this.lanes.delete(key);
  }

  private take(lane: Lane<I, O>): Waiting<I, O>[] {
    const group = [lane.queue.shift() as Waiting<I, O>];
    let size = group[0]?.size ?? 0;
    while (lane.queue.length > 0 && size + (lane.queue[0] as Waiting<I, O>).size <= this.options.maxSize) {
      const next = lane.queue.shift() as Waiting<I, O>;
      size += next.size;
      group.push(next);
    }
    this.queued -= size;
    return group;
  }

  private async alone(w: Waiting<I, O>): Promise<void> {
    try {
      const [result] = await this.options.commit([w.input]);
      settle(w, result as Settled<O>);
    } catch (error) {
      w.reject(error);
    }
  }
}

function isUnavailable(error: unknown): boolean {
  return error instanceof LaurelError && error.kind === 'unavailable';
}

function settle<I, O>(w: Waiting<I, O>, result: Settled<O>): void {
  if (result.ok) w.resolve(result.value);
  else w.reject(result.error);
}
