/**
 * Row types of every table, as Kysely sees them. Times are epoch milliseconds, JSON is stored as
 * text and flags as 0/1 integers, so that both dialects return the same JavaScript values.
 */
import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { AwardSource } from '../domain/achievement.js';

type Json = string;
type Flag = number;
type Millis = number;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface OrganisationsTable {
  id: string;
  name: string;
  created_at: Millis;
}

export interface CommunitiesTable {
  id: string;
  org_id: string;
  key: string;
  name: string;
  settings: Json;
  config_version: Defaulted<number>;
  created_at: Millis;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  community_id: string;
  kind: 'admin' | 'application';
  name: string;
  key_prefix: string;
  key_hash: string;
  created_at: Millis;
  revoked_at: Millis | null;
}

export interface UsersTable {
  org_id: string;
  community_id: string;
  id: string;
  name: string | null;
  email: string | null;
  tz: string | null;
  attributes: Json;
  subscribe_to_emails: Flag;
  locale: string | null;
  device_tokens: Json | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface MetricsTable {
  id: string;
  org_id: string;
  community_id: string;
  key: string;
  name: string;
  description: string | null;
  unit: string | null;
  unit_singular: string | null;
  verb: string | null;
  translations: Json;
  status: 'active' | 'archived';
  created_at: Millis;
  updated_at: Millis;
}

export interface PointsSystemsTable {
  id: string;
  org_id: string;
  community_id: string;
  key: string;
  name: string;
  description: string | null;
  badge_url: string | null;
  max_points: number | null;
  kind: 'xp' | 'spendable';
  status: 'active' | 'archived';
  created_at: Millis;
  updated_at: Millis;
}

export interface PointsLevelsTable {
  id: string;
  org_id: string;
  community_id: string;
  system_id: string;
  key: string;
  name: string;
  description: string | null;
  badge_url: string | null;
  points: number;
}

export interface AchievementsTable {
  id: string;
  org_id: string;
  community_id: string;
  key: string;
  name: string;
  description: string | null;
  badge_url: string | null;
  category: string | null;
  tags: Json;
  featured: Flag;
  status: 'draft' | 'active' | 'locked' | 'archived';
  scope: 'community' | 'org';
  criteria: Json;
  tiers: Json;
  rewards: Json;
  filters: Json;
  policies: Json;
  translations: Json;
  celebration: Json;
  email_on_unlock: Flag;
  activated_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface AchievementStatsTable {
  achievement_id: string;
  org_id: string;
  community_id: string;
  completions: number;
  unlocks: number;
}

export interface UserMetricsTable {
  org_id: string;
  community_id: string;
  user_id: string;
  metric_id: string;
  total: number;
  count: number;
  first_at: Millis;
  last_at: Millis;
}

export interface AchievementCountersTable {
  org_id: string;
  community_id: string;
  user_id: string;
  achievement_id: string;
  total: number;
  count: number;
}

export interface EventsTable {
  id: string;
  org_id: string;
  community_id: string;
  user_id: string;
  metric_id: string;
  value: number;
  attributes: Json | null;
  occurred_at: Millis;
  received_at: Millis;
  local_day: number | null;
}

export interface IdempotencyKeysTable {
  org_id: string;
  community_id: string;
  user_id: string;
  metric_id: string;
  key: string;
  event_id: string;
  response: Json;
  created_at: Millis;
  /** A hash of what the request said; null for keys stored before it was kept. */
  fingerprint: string | null;
}

export interface AwardsTable {
  id: string;
  org_id: string;
  community_id: string;
  user_id: string;
  achievement_id: string;
  tier_key: string;
  period_key: string;
  achieved_at: Millis;
  event_id: string | null;
  source: AwardSource;
  backfilled: Flag;
  rewards: Json;
  backfill_run: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface UserPointsTable {
  org_id: string;
  community_id: string;
  user_id: string;
  system_id: string;
  total: number;
}

export interface PointsAwardsTable {
  id: string;
  org_id: string;
  community_id: string;
  user_id: string;
  system_id: string;
  amount: number;
  total_after: number;
  /** reward: an achievement's points reward; the others are points triggers. */
  trigger_type: 'reward' | 'metric' | 'achievement' | 'streak' | 'user_creation';
  trigger_id: string | null;
  award_id: string | null;
  event_id: string | null;
  created_at: Millis;
}

export interface UserDayTotalsTable {
  org_id: string;
  community_id: string;
  user_id: string;
  series_id: string;
  day: number;
  total: number;
  count: number;
  first_at: Millis;
}

export interface StreaksTable {
  id: string;
  org_id: string;
  community_id: string;
  key: string;
  name: string;
  frequency: 'daily' | 'weekly' | 'monthly';
  metrics: Json;
  mode: 'all' | 'any';
  is_primary: Flag;
  freezes: Json | null;
  status: 'active' | 'archived';
  created_at: Millis;
  updated_at: Millis;
}

export interface UserStreakPointsTable {
  org_id: string;
  community_id: string;
  user_id: string;
  streak_id: string;
  period: number;
  length: number;
  started: number;
  freezes: number;
  earn_anchor: number;
  extended_at: Millis;
  /** When the streak is lost if nothing extends it; kept on the latest point, cleared once announced. */
  lost_at: Defaulted<Millis | null>;
}

export interface UserTargetsTable {
  org_id: string;
  community_id: string;
  user_id: string;
  metric_id: string;
  value: number;
  per: 'day' | 'week' | 'month';
  updated_at: Millis;
}

export interface JobsTable {
  id: string;
  org_id: string;
  community_id: string;
  kind: string;
  payload: Json;
  dedupe_key: string | null;
  status: 'queued' | 'running' | 'done' | 'failed';
  run_at: Millis;
  attempts: Defaulted<number>;
  locked_until: Millis | null;
  result: Json | null;
  last_error: string | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface PointsTriggersTable {
  id: string;
  org_id: string;
  community_id: string;
  system_id: string;
  type: 'metric' | 'achievement' | 'streak' | 'user_creation';
  points: number;
  metric_id: string | null;
  metric_threshold: number | null;
  achievement_id: string | null;
  streak_length: number | null;
  event_filter: Json;
  user_filter: Json;
  status: 'active' | 'inactive' | 'archived';
  created_at: Millis;
  updated_at: Millis;
}

export interface LeaderboardsTable {
  id: string;
  org_id: string;
  community_id: string;
  key: string;
  name: string;
  description: string | null;
  status: 'inactive' | 'active' | 'archived';
  rank_by: 'metric' | 'points' | 'streak';
  metric_id: string | null;
  points_system_id: string | null;
  streak_id: string | null;
  max_participants: number;
  breakdown_attribute: string | null;
  start_day: number;
  end_day: number | null;
  run_unit: 'day' | 'month' | 'year' | null;
  run_interval: number | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface LeaderboardEntriesTable {
  org_id: string;
  community_id: string;
  leaderboard_id: string;
  run: number;
  grp: string;
  user_id: string;
  value: number;
  updated_at: Millis;
}

export interface LeaderboardHistoryTable {
  org_id: string;
  community_id: string;
  leaderboard_id: string;
  run: number;
  user_id: string;
  day: number;
  previous_rank: number | null;
  rank: number | null;
  previous_value: number | null;
  value: number | null;
}

export interface LeaderboardFinishesTable {
  org_id: string;
  community_id: string;
  leaderboard_id: string;
  run: number;
  finished_at: Millis;
}

export interface UserPreferencesTable {
  org_id: string;
  community_id: string;
  user_id: string;
  notifications: Json;
  updated_at: Millis;
}

export interface CommunityUserCountsTable {
  community_id: string;
  shard: number;
  users: number;
}

export interface OutboxTable {
  id: string;
  org_id: string;
  community_id: string;
  type: string;
  user_id: string | null;
  payload: Json;
  backfilled: Flag;
  created_at: Millis;
  dispatched_at: Millis | null;
  /** When the email fan-out looked at it; null: not yet. */
  email_checked_at: Millis | null;
}

export interface WebhooksTable {
  id: string;
  org_id: string;
  community_id: string;
  url: string;
  description: string | null;
  /** JSON array of event types; empty: every type. */
  event_types: Json;
  enabled: Flag;
  secret: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface WebhookDeliveriesTable {
  id: string;
  org_id: string;
  community_id: string;
  webhook_id: string;
  outbox_id: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  next_attempt_at: Millis;
  locked_until: Millis | null;
  last_status: number | null;
  last_error: string | null;
  last_attempt_at: Millis | null;
  delivered_at: Millis | null;
  created_at: Millis;
}

export interface CelebrationsSeenTable {
  org_id: string;
  community_id: string;
  user_id: string;
  outbox_id: string;
  seen_at: Millis;
}

export interface EmailDeliveriesTable {
  id: string;
  org_id: string;
  community_id: string;
  outbox_id: string;
  user_id: string;
  to_address: string;
  status: 'pending' | 'sent' | 'dead' | 'skipped';
  attempts: number;
  next_attempt_at: Millis;
  locked_until: Millis | null;
  last_error: string | null;
  sent_at: Millis | null;
  created_at: Millis;
}

export interface InstallSecretsTable {
  name: string;
  secret: string;
}

/** Each community's key for signing widget tokens; replacing it refuses every token signed before. */
export interface WidgetSecretsTable {
  community_id: string;
  org_id: string;
  secret: string;
  rotated_at: Millis;
}

export interface TeamsTable {
  id: string;
  org_id: string;
  community_id: string;
  key: string;
  name: string;
  parent_id: string | null;
  status: 'active' | 'archived';
  created_at: Millis;
  updated_at: Millis;
}

export interface TeamMembershipsTable {
  org_id: string;
  community_id: string;
  user_id: string;
  team_id: string;
  from_at: Millis;
  until_at: Millis | null;
}

export interface DB {
  organisations: OrganisationsTable;
  communities: CommunitiesTable;
  api_keys: ApiKeysTable;
  users: UsersTable;
  metrics: MetricsTable;
  points_systems: PointsSystemsTable;
  points_levels: PointsLevelsTable;
  achievements: AchievementsTable;
  achievement_stats: AchievementStatsTable;
  user_metrics: UserMetricsTable;
  achievement_counters: AchievementCountersTable;
  events: EventsTable;
  idempotency_keys: IdempotencyKeysTable;
  awards: AwardsTable;
  user_points: UserPointsTable;
  points_awards: PointsAwardsTable;
  user_day_totals: UserDayTotalsTable;
  streaks: StreaksTable;
  user_streak_points: UserStreakPointsTable;
  user_targets: UserTargetsTable;
  jobs: JobsTable;
  points_triggers: PointsTriggersTable;
  leaderboards: LeaderboardsTable;
  leaderboard_entries: LeaderboardEntriesTable;
  leaderboard_history: LeaderboardHistoryTable;
  leaderboard_finishes: LeaderboardFinishesTable;
  user_preferences: UserPreferencesTable;
  community_user_counts: CommunityUserCountsTable;
  outbox: OutboxTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  celebrations_seen: CelebrationsSeenTable;
  email_deliveries: EmailDeliveriesTable;
  install_secrets: InstallSecretsTable;
  widget_secrets: WidgetSecretsTable;
  teams: TeamsTable;
  team_memberships: TeamMembershipsTable;
}

export type UserRow = Selectable<UsersTable>;
export type MetricRow = Selectable<MetricsTable>;
export type AchievementRow = Selectable<AchievementsTable>;
export type AwardRow = Selectable<AwardsTable>;
export type PointsSystemRow = Selectable<PointsSystemsTable>;
export type PointsLevelRow = Selectable<PointsLevelsTable>;
export type CommunityRow = Selectable<CommunitiesTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type NewEvent = Insertable<EventsTable>;
export type StreakRow = Selectable<StreaksTable>;
export type JobRow = Selectable<JobsTable>;
export type PointsTriggerRow = Selectable<PointsTriggersTable>;
export type LeaderboardRow = Selectable<LeaderboardsTable>;
export type NewAward = Insertable<AwardsTable>;
export type NewPointsAward = Insertable<PointsAwardsTable>;
