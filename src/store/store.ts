import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { LaurelError } from '../domain/errors.js';
import { CELEBRATIONS_CHANNEL, type Celebrated, CelebrationNews, decodeNews } from './celebration-news.js';
import type { Database } from './database.js';
import { type Dialect, writersAtOnce } from './dialect.js';
import { isPoolExhausted, type Outage } from './failures.js';
import type { IngestStore, UserStateReads } from './ingest/ingest-store.js';
import { PostgresIngestStore } from './ingest/postgres.js';
import { type Exclusive, SqliteIngestStore } from './ingest/sqlite.js';
import type { Subscriber } from './notifications.js';
import { AchievementsRepository } from './repositories/achievements.js';
import { AnalyticsRepository } from './repositories/analytics.js';
import { ApiKeysRepository, REVOKED_KEYS_CHANNEL } from './repositories/api-keys.js';
import { AwardsRepository } from './repositories/awards.js';
import { BackfillRepository } from './repositories/backfill.js';
import { CelebrationsRepository } from './repositories/celebrations.js';
import { CommunitiesRepository } from './repositories/communities.js';
import { DeliveriesRepository } from './repositories/deliveries.js';
import { EmailsRepository } from './repositories/emails.js';
import { JobsRepository } from './repositories/jobs.js';
import { LeaderboardsRepository } from './repositories/leaderboards.js';
import { MetricsRepository } from './repositories/metrics.js';
import { OutboxRepository } from './repositories/outbox.js';
import { PointsRepository } from './repositories/points.js';
import { PointsSystemsRepository } from './repositories/points-systems.js';
import { PointsTriggersRepository } from './repositories/points-triggers.js';
import { PreferencesRepository } from './repositories/preferences.js';
import { RetentionRepository } from './repositories/retention.js';
import { StreakLossesRepository } from './repositories/streak-losses.js';
import { StreakRankingsRepository } from './repositories/streak-rankings.js';
import { StreaksRepository } from './repositories/streaks.js';
import { TargetsRepository } from './repositories/targets.js';
import { TeamMembershipsRepository } from './repositories/team-memberships.js';
import { TeamsRepository } from './repositories/teams.js';
import { UsersRepository } from './repositories/users.js';
import { WebhooksRepository } from './repositories/webhooks.js';
import { WidgetSecretsRepository } from './repositories/widget-secrets.js';
import type { DB } from './schema.js';
import { SqliteStatements } from './sqlite-statements.js';

/** Every repository, bound to one connection or one transaction. */
export class Repositories {
  readonly communities: CommunitiesRepository;
  readonly apiKeys: ApiKeysRepository;
  readonly users: UsersRepository;
  readonly metrics: MetricsRepository;
  readonly pointsSystems: PointsSystemsRepository;
  readonly achievements: AchievementsRepository;
  /** Ingest's reads and writes (within a transaction). */
  readonly ingest: IngestStore;
  /** Users' running state, for the read use cases. */
  readonly userState: UserStateReads;
  readonly awards: AwardsRepository;
  readonly points: PointsRepository;
  readonly backfill: BackfillRepository;
  readonly streaks: StreaksRepository;
  readonly targets: TargetsRepository;
  readonly jobs: JobsRepository;
  readonly retention: RetentionRepository;
  readonly pointsTriggers: PointsTriggersRepository;
  readonly preferences: PreferencesRepository;
  readonly streakRankings: StreakRankingsRepository;
  /** Streaks whose loss is due to be announced (the hourly sweep). */
  readonly streakLosses: StreakLossesRepository;
  readonly leaderboards: LeaderboardsRepository;
  readonly analytics: AnalyticsRepository;
  readonly celebrations: CelebrationsRepository;
  readonly webhooks: WebhooksRepository;
  /** Events written outside ingest (pings), and the outbox's retention. */
  readonly outbox: OutboxRepository;
  readonly deliveries: DeliveriesRepository;
  /** Emails on unlock: their fan-out, claims and outcomes. */
  readonly emails: EmailsRepository;
  /** Each community's widget-token signing secret. */
  readonly widgetSecrets: WidgetSecretsRepository;
  /** A community's team tree. */
  readonly teams: TeamsRepository;
  /** Users' dated membership of teams. */
  readonly teamMemberships: TeamMembershipsRepository;

  /**
   * `sqlite`: the raw SQLite connection's statements, and how a read gets the connection to itself;
   * `news`: a transaction's announced celebrations (none outside a transaction).
   */
  constructor(
    db: Kysely<DB>,
    dialect: Dialect,
    sqlite?: { statements: SqliteStatements; exclusive: Exclusive },
    news: CelebrationNews | null = null,
  ) {
    this.communities = new CommunitiesRepository(db, dialect);
    this.apiKeys = new ApiKeysRepository(db, dialect);
    this.users = new UsersRepository(db);
    this.metrics = new MetricsRepository(db);
    this.pointsSystems = new PointsSystemsRepository(db);
    this.achievements = new AchievementsRepository(db);
    this.ingest = ingestStoreFor(db, dialect, sqlite, news);
    this.userState = this.ingest;
    this.awards = new AwardsRepository(db);
    this.points = new PointsRepository(db, dialect);
    this.backfill = new BackfillRepository(db, dialect);
    this.streaks = new StreaksRepository(db);
    this.targets = new TargetsRepository(db);
    this.jobs = new JobsRepository(db, dialect);
    this.retention = new RetentionRepository(db);
    this.pointsTriggers = new PointsTriggersRepository(db);
    this.preferences = new PreferencesRepository(db);
    this.streakRankings = new StreakRankingsRepository(db);
    this.streakLosses = new StreakLossesRepository(db, dialect);
    this.leaderboards = new LeaderboardsRepository(db, dialect);
    this.analytics = new AnalyticsRepository(db, dialect);
    this.celebrations = new CelebrationsRepository(db, news);
    this.webhooks = new WebhooksRepository(db);
    this.outbox = new OutboxRepository(db, dialect);
    this.deliveries = new DeliveriesRepository(db, dialect);
    this.emails = new EmailsRepository(db, dialect);
    this.widgetSecrets = new WidgetSecretsRepository(db);
    this.teams = new TeamsRepository(db);
    this.teamMemberships = new TeamMembershipsRepository(db);
  }
}

/** Hears which members got new celebrations, from this process's commits and (PostgreSQL) the others'. */
export interface CelebrationWatcher {
  celebrated(news: Celebrated): void;
  /** As `Subscriber.state`: false while news from other processes may be missed, true once heard again. */
  state(live: boolean): void;
}

export class Store {
  /** Repositories outside any transaction, for reads. */
  readonly read: Repositories;

  /** Names this process in its NOTIFYs, so that it does not hear its own news twice. */
  private readonly origin = randomUUID();
  private readonly celebrationWatchers: CelebrationWatcher[] = [];

  /** Prepared once per connection, reused by every transaction (they take turns on it). */
  private readonly statements: SqliteStatements | undefined;

  constructor(readonly database: Database) {
    this.statements = database.sqlite ? new SqliteStatements(database.sqlite, database.onQuery) : undefined;
    // Outside a transaction, a read waits for the connection: Kysely may be inside a transaction on
    // it, between two awaits, and the read must not see that transaction's uncommitted rows.
    const exclusive: Exclusive = async (read) => {
      try {
        return await database.db.connection().execute(async () => read());
      } catch (error) {
        throw database.availability.translate(error);
      }
    };
    this.read = new Repositories(database.db, database.dialect, this.statements && { statements: this.statements, exclusive });
  }

  /** Write transactions worth running at once (see `writersAtOnce`). */
  get writersAtOnce(): number {
    return writersAtOnce(this.database.dialect);
  }

  get dialect(): Dialect {
    return this.database.dialect;
  }

  /**
   * Runs `work` in one transaction: everything it writes commits together or not at all. The
   * celebrations it announced are told once it has committed (see `watchCelebrations`).
   */
  async transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    const news = new CelebrationNews(this.origin);
    let result: T;
    try {
      const sqlite = this.statements && { statements: this.statements, exclusive: inTransaction };
      result = await this.database.db.transaction().execute(async (trx) => {
        const done = await work(new Repositories(trx, this.database.dialect, sqlite, news));
        // Inside the transaction: PostgreSQL delivers it on commit, with no round trip after.
        const notice = this.database.notifications ? news.notice() : null;
        if (notice) await notice.execute(trx);
        return done;
      });
    } catch (error) {
      // SQLite's prepared statements run outside Kysely's connection: their failures are classified here.
      throw this.database.availability.translate(error);
    }
    if (!news.empty) {
      const celebrated = news.celebrated();
      for (const watcher of this.celebrationWatchers) watcher.celebrated(celebrated);
    }
    return result;
  }

  /**
   * Runs `work` on one connection, outside a transaction (each statement commits on its own). On
   * SQLite, where every statement waits for the one connection, that is one wait behind whatever
   * transaction holds it for all of `work`'s statements, instead of one wait each.
   */
  async onOneConnection<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    try {
      const sqlite = this.statements && { statements: this.statements, exclusive: inTransaction };
      return await this.database.db.connection().execute((conn) => work(new Repositories(conn, this.database.dialect, sqlite)));
    } catch (error) {
      throw this.database.availability.translate(error);
    }
  }

  /** Why the store cannot serve now, if it cannot: the database does not answer, or writes are failing. */
  async outage(): Promise<Outage | null> {
    try {
      await sql`select 1`.execute(this.database.db);
    } catch (error) {
      // Every pooled connection busy: the database is answering the queries holding them.
      if (!isPoolExhausted(error instanceof LaurelError ? error.cause : error)) return 'database';
    }
    return this.database.availability.outage;
  }

  /**
   * Hears of keys revoked by any process (their hashes), where several processes share the
   * database; returns false where there is nothing to hear (SQLite: one process).
   */
  watchRevokedKeys(subscriber: Subscriber): boolean {
    if (!this.database.notifications) return false;
    this.database.notifications.subscribe(REVOKED_KEYS_CHANNEL, subscriber);
    return true;
  }

  /**
   * Tells `watcher` which members got new celebrations: at once after this process's commits, and
   * on PostgreSQL as soon as another process's commit is heard (its state follows the listening
   * connection: news sent while it was down is lost).
   */
  watchCelebrations(watcher: CelebrationWatcher): void {
    this.celebrationWatchers.push(watcher);
    this.database.notifications?.subscribe(CELEBRATIONS_CHANNEL, {
      message: (payload) => {
        const news = decodeNews(payload);
        if (news && news.origin !== this.origin) watcher.celebrated(news.celebrated);
      },
      state: (live) => watcher.state(live),
    });
  }

  close(): Promise<void> {
    return this.database.close();
  }
}

/** Inside a transaction (or `onOneConnection`), which holds the connection already. */
const inTransaction: Exclusive = async (read) => read();

/** The ingest store of the database in use (SQLite's runs on the raw connection's statements). */
function ingestStoreFor(
  db: Kysely<DB>,
  dialect: Dialect,
  sqlite: { statements: SqliteStatements; exclusive: Exclusive } | undefined,
  news: CelebrationNews | null,
) {
  if (dialect === 'postgres') return new PostgresIngestStore(db, news);
  if (!sqlite) throw new Error('The SQLite ingest store needs the raw connection');
  return new SqliteIngestStore(sqlite.statements, sqlite.exclusive);
}
