/**
 * PostgreSQL's LISTEN/NOTIFY, for telling every Laurel process about a change at once (a revoked
 * key). One connection of its own, outside the pool, reopened with growing pauses when it drops.
 * Messages are scoped to the schema: several Laurel schemas may share one database.
 */

import { type Kysely, type RawBuilder, sql } from 'kysely';
import pg from 'pg';

export interface Subscriber {
  message(payload: string): void;
  /** `live` false: the connection is down and messages may be missed; true: listening (again). */
  state(live: boolean): void;
}

const SEPARATOR = '\u001f';

/**
 * How often the listening connection is checked, and how long the check may take. A connection
 * that only listens sends nothing: one dropped silently (a NAT or firewall forgetting it, a failover
 * behind a virtual IP) would otherwise never be noticed, and its notices would be missed for good.
 */
const PING_MS = 10_000;

export class Notifications {
  private readonly subscribers = new Map<string, Subscriber[]>();
  private client: pg.Client | null = null;
  private schema = '';
  private closed = false;
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private pinger: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly warn: (message: string) => void = () => undefined,
    private readonly pingMs = PING_MS,
  ) {}

  /** Listens on `channel`; the subscriber hears `state(true)` once listening. */
  subscribe(channel: string, subscriber: Subscriber): void {
    const list = this.subscribers.get(channel) ?? [];
    this.subscribers.set(channel, [...list, subscriber]);
    if (this.client)
      void this.client.query(`listen ${pg.escapeIdentifier(channel)}`).then(
        () => subscriber.state(true),
        () => undefined,
      );
    else this.connecting ??= this.connect();
  }

  /** Sends `payload` to every process listening on `channel` in this schema (on commit, inside a transaction). */
  static async notify<T>(db: Kysely<T>, channel: string, payload: string): Promise<void> {
    await Notifications.notification(channel, payload).execute(db);
  }

  /** `notify` as a query, for a statement that sends it along with other work (no round trip of its own). */
  static notification(channel: string, payload: string): RawBuilder<unknown> {
    return sql`select pg_notify(${channel}, current_schema() || ${SEPARATOR} || ${payload})`;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pinger) clearInterval(this.pinger);
    await this.connecting;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private async connect(): Promise<void> {
    // Keep-alive lets the kernel notice a dead peer too; the time-out bounds the pings (and the LISTENs).
    const client = new pg.Client({ ...this.config, keepAlive: true, keepAliveInitialDelayMillis: this.pingMs, query_timeout: this.pingMs });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (n) => {
      const at = n.payload?.indexOf(SEPARATOR) ?? -1;
      if (at < 0 || n.payload?.slice(0, at) !== this.schema) return;
      for (const s of this.subscribers.get(n.channel) ?? []) s.message((n.payload as string).slice(at + 1));
    });
    try {
      await client.connect();
      this.schema = (await client.query<{ schema: string }>('select current_schema() as schema')).rows[0]?.schema ?? '';
      for (const channel of this.subscribers.keys()) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      this.failures = 0;
      this.pinger = setInterval(() => {
        client.query('select 1').catch(() => this.lost(client));
      }, this.pingMs);
      this.pinger.unref();
      for (const list of this.subscribers.values()) for (const s of list) s.state(true);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      if (this.failures++ === 0) this.warn(`Cannot listen for changes from other processes (${(error as Error).message}); trying again`);
      this.retry();
    } finally {
      this.connecting = null;
    }
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = null;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    for (const list of this.subscribers.values()) for (const s of list) s.state(false);
    if (!this.closed) {
      this.warn('Lost the connection listening for changes from other processes; reconnecting');
      this.retry();
    }
  }

  private retry(): void {
    if (this.closed) return;
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = null;
        this.connecting ??= this.connect();
      },
      Math.min(100 * 2 ** this.failures, 5_000),
    );
    this.retryTimer.unref();
  }
}
