/** Rows to domain objects and back: JSON text columns, 0/1 flags, null handling. */
import type { Achievement } from '../domain/achievement.js';
import { DEFAULT_CELEBRATION, DEFAULT_POLICIES } from '../domain/achievement.js';
import type { Metric } from '../domain/metric.js';
import type { Level, PointsSystem } from '../domain/points.js';
import type { StreakDefinition, StreakPoint } from '../domain/streaks.js';
import type { User } from '../domain/user.js';
import type { AchievementRow, MetricRow, PointsLevelRow, PointsSystemRow, StreakRow, UserRow } from './schema.js';

export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback;
  return JSON.parse(text) as T;
}

export function toAchievement(row: AchievementRow): Achievement {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    badgeUrl: row.badge_url,
    category: row.category,
    tags: parseJson(row.tags, []),
    featured: row.featured === 1,
    status: row.status,
    scope: row.scope,
    criteria: parseJson(row.criteria, { type: 'api' }),
    tiers: parseJson(row.tiers, []),
    rewards: parseJson(row.rewards, []),
    filters: { event: {}, user: {}, ...parseJson(row.filters, {}) },
    policies: { ...DEFAULT_POLICIES, ...parseJson(row.policies, {}) },
    translations: parseJson(row.translations, {}),
    celebration: { ...DEFAULT_CELEBRATION, ...parseJson(row.celebration, {}) },
    emailOnUnlock: row.email_on_unlock === 1,
    activatedAt: row.activated_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function achievementColumns(a: Achievement) {
  return {
    id: a.id,
    key: a.key,
    name: a.name,
    description: a.description,
    badge_url: a.badgeUrl,
    category: a.category,
    tags: JSON.stringify(a.tags),
    featured: a.featured ? 1 : 0,
    status: a.status,
    scope: a.scope,
    criteria: JSON.stringify(a.criteria),
    tiers: JSON.stringify(a.tiers),
    rewards: JSON.stringify(a.rewards),
    filters: JSON.stringify(a.filters),
    policies: JSON.stringify(a.policies),
    translations: JSON.stringify(a.translations),
    celebration: JSON.stringify(a.celebration),
    email_on_unlock: a.emailOnUnlock ? 1 : 0,
    activated_at: a.activatedAt,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

export function toMetric(row: MetricRow): Metric {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    unit: row.unit,
    unitSingular: row.unit_singular,
    verb: row.verb,
    translations: parseJson(row.translations, {}),
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function metricColumns(m: Metric) {
  return {
    id: m.id,
    key: m.key,
    name: m.name,
    description: m.description,
    unit: m.unit,
    unit_singular: m.unitSingular,
    verb: m.verb,
    translations: JSON.stringify(m.translations),
    status: m.status,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
  };
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    tz: row.tz,
    attributes: parseJson(row.attributes, {}),
    subscribeToEmails: row.subscribe_to_emails === 1,
    locale: row.locale,
    deviceTokens: parseJson(row.device_tokens, null),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function userColumns(u: User) {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    tz: u.tz,
    attributes: JSON.stringify(u.attributes),
    subscribe_to_emails: u.subscribeToEmails ? 1 : 0,
    locale: u.locale,
    device_tokens: u.deviceTokens === null ? null : JSON.stringify(u.deviceTokens),
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  };
}

export function toLevel(row: PointsLevelRow): Level {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    badgeUrl: row.badge_url,
    points: row.points,
  };
}

export function toPointsSystem(row: PointsSystemRow, levels: Level[]): PointsSystem {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    badgeUrl: row.badge_url,
    maxPoints: row.max_points,
    kind: row.kind,
    status: row.status,
    levels: [...levels].sort((a, b) => a.points - b.points),
  };
}

export interface StoredStreak extends StreakDefinition {
  status: 'active' | 'archived';
  createdAt: number;
  updatedAt: number;
}

export function toStreak(row: StreakRow): StoredStreak {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    frequency: row.frequency,
    metrics: parseJson(row.metrics, []),
    mode: row.mode,
    primary: row.is_primary === 1,
    freezes: parseJson(row.freezes, null),
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function streakColumns(s: StoredStreak) {
  return {
    id: s.id,
    key: s.key,
    name: s.name,
    frequency: s.frequency,
    metrics: JSON.stringify(s.metrics),
    mode: s.mode,
    is_primary: s.primary ? 1 : 0,
    freezes: s.freezes === null ? null : JSON.stringify(s.freezes),
    status: s.status,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

/** A stored streak point (any row with the point's columns). */
export function toStreakPoint(r: {
  period: number;
  length: number;
  started: number;
  freezes: number;
  earn_anchor: number;
  extended_at: number;
}): StreakPoint {
  return {
    period: r.period,
    length: r.length,
    started: r.started,
    freezes: r.freezes,
    earnAnchor: r.earn_anchor,
    extendedAt: r.extended_at,
  };
}
