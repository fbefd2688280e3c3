/** Points systems and their levels, for admins. */
import type { AdminPointsSystem } from '../api/schemas/points-view.js';
import { assertBadgeUrls } from '../domain/badge-url.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import type { Level, PointsSystem } from '../domain/points.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { randomId } from './ids.js';
import { levelView } from './presenters.js';
import { badgeOwnerOf } from './upload-badge.js';

export interface LevelInput {
  key: string;
  name: string;
  description?: string | null;
  badgeUrl?: string | null;
  points: number;
}

export interface PointsSystemInput {
  key?: string;
  name?: string;
  description?: string | null;
  badgeUrl?: string | null;
  maxPoints?: number | null;
  kind?: 'xp' | 'spendable';
  status?: 'active' | 'archived';
  levels?: LevelInput[];
}

export function pointsSystemView(p: PointsSystem): AdminPointsSystem {
  return {
    id: p.id,
    key: p.key,
    name: p.name,
    description: p.description,
    badgeUrl: p.badgeUrl,
    maxPoints: p.maxPoints,
    kind: p.kind,
    status: p.status,
    levels: p.levels.map((l) => levelView(l)),
  };
}

export async function createPointsSystem(ctx: EngineContext, tenant: Tenant, input: PointsSystemInput & { key: string; name: string }) {
  assertInputBadgeUrls(input, tenant);
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const existing = await tx.pointsSystems.list(tenant);
    if (existing.some((p) => p.key === input.key)) {
      throw conflict('duplicate_key', `A points system with key "${input.key}" already exists`, 'key');
    }
    const system: PointsSystem = {
      id: randomId(),
      key: input.key,
      name: input.name,
      description: input.description ?? null,
      badgeUrl: input.badgeUrl ?? null,
      maxPoints: input.maxPoints ?? null,
      kind: input.kind ?? 'xp',
      status: 'active',
      levels: levelsFrom(input.levels ?? [], []),
    };
    validate(system);
    await tx.pointsSystems.insert(tenant, system, now);
    await tx.communities.bumpConfigVersion(tenant.communityId);
    return pointsSystemView(system);
  });
}

export async function listPointsSystems(ctx: EngineContext, tenant: Tenant) {
  return (await ctx.store.read.pointsSystems.list(tenant)).map(pointsSystemView);
}

export async function getPointsSystem(ctx: EngineContext, tenant: Tenant, key: string) {
  const system = (await ctx.store.read.pointsSystems.list(tenant)).find((p) => p.key === key);
  if (!system) throw notFound('points_system_not_found', `There is no points system "${key}"`, 'key');
  return pointsSystemView(system);
}

export async function updatePointsSystem(ctx: EngineContext, tenant: Tenant, key: string, patch: PointsSystemInput) {
  assertInputBadgeUrls(patch, tenant);
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const system = (await tx.pointsSystems.list(tenant)).find((p) => p.key === key);
    if (!system) throw notFound('points_system_not_found', `There is no points system "${key}"`, 'key');
    if (patch.key !== undefined && patch.key !== key) throw invalid('key_immutable', 'A points system keeps its key for life', 'key');
    const updated: PointsSystem = {
      ...system,
      name: patch.name ?? system.name,
      description: patch.description === undefined ? system.description : patch.description,
      badgeUrl: patch.badgeUrl === undefined ? system.badgeUrl : patch.badgeUrl,
      maxPoints: patch.maxPoints === undefined ? system.maxPoints : patch.maxPoints,
      kind: patch.kind ?? system.kind,
      status: patch.status ?? system.status,
      levels: patch.levels === undefined ? system.levels : levelsFrom(patch.levels, system.levels),
    };
    validate(updated);
    await tx.pointsSystems.update(tenant, updated, now);
    await tx.communities.bumpConfigVersion(tenant.communityId);
    return pointsSystemView(updated);
  });
}

/** Levels keep their ids across edits when their key stays. */
function levelsFrom(inputs: readonly LevelInput[], previous: readonly Level[]): Level[] {
  const keys = new Set<string>();
  inputs.forEach((level, i) => {
    if (keys.has(level.key)) throw invalid('duplicate_level_key', `Level key "${level.key}" is used twice`, `levels[${i}].key`);
    keys.add(level.key);
    if (!(level.points >= 0)) throw invalid('invalid_level_points', 'A level needs 0 or more points', `levels[${i}].points`);
  });
  return inputs
    .map((l) => ({
      id: previous.find((p) => p.key === l.key)?.id ?? randomId(),
      key: l.key,
      name: l.name,
      description: l.description ?? null,
      badgeUrl: l.badgeUrl ?? null,
      points: l.points,
    }))
    .sort((a, b) => a.points - b.points);
}

/** Checked as given (levels in the order sent), so the field named is the one in the request. */
function assertInputBadgeUrls(input: PointsSystemInput, tenant: Tenant): void {
  assertBadgeUrls(
    [[input.badgeUrl, 'badgeUrl'], ...(input.levels ?? []).map((l, i) => [l.badgeUrl, `levels[${i}].badgeUrl`] as const)],
    badgeOwnerOf(tenant),
  );
}

function validate(system: PointsSystem): void {
  if (system.maxPoints !== null && !(system.maxPoints > 0)) {
    throw invalid('invalid_max_points', 'maxPoints must be greater than 0', 'maxPoints');
  }
}
