/**
 * /openapi.json names each response schema once, in components.schemas, and refers to it by $ref
 * wherever an answer holds it exactly; inlined at every use, the shared views made the document
 * several times larger. Routes keep their schemas inline, so validation and serialisation are
 * untouched: only the document @fastify/swagger built is rewritten. Request schemas stay inline.
 */
import * as achievementView from './schemas/achievement-view.js';
import * as activityView from './schemas/activity-view.js';
import * as adminAchievementView from './schemas/admin-achievement-view.js';
import * as adminSettings from './schemas/admin-settings.js';
import * as apiKey from './schemas/api-key.js';
import * as badgeView from './schemas/badge-view.js';
import * as celebrationView from './schemas/celebration-view.js';
import { ErrorBody } from './schemas/common.js';
import * as completionResponse from './schemas/completion-response.js';
import * as emailView from './schemas/email-view.js';
import * as eventResponse from './schemas/event-response.js';
import * as healthView from './schemas/health-view.js';
import * as insights from './schemas/insights.js';
import * as leaderboardView from './schemas/leaderboard-view.js';
import * as metricView from './schemas/metric-view.js';
import * as pointsView from './schemas/points-view.js';
import * as streakCorrection from './schemas/streak-correction.js';
import * as streakDefinition from './schemas/streak-definition.js';
import * as streakView from './schemas/streak-view.js';
import * as teamView from './schemas/team-view.js';
import * as unsubscribeView from './schemas/unsubscribe-view.js';
import * as userView from './schemas/user-view.js';
import * as webhookView from './schemas/webhook-view.js';
import * as widgetTokenView from './schemas/widget-token-view.js';
import * as wrappedView from './schemas/wrapped-view.js';

const RESPONSE_MODULES = [
  achievementView,
  activityView,
  adminAchievementView,
  adminSettings,
  apiKey,
  badgeView,
  celebrationView,
  completionResponse,
  emailView,
  eventResponse,
  healthView,
  insights,
  leaderboardView,
  metricView,
  pointsView,
  streakCorrection,
  streakDefinition,
  streakView,
  teamView,
  unsubscribeView,
  userView,
  webhookView,
  widgetTokenView,
  wrappedView,
];

/** Every exported `…Schema` of the response schema files, by its name without "Schema", and the error body. */
export function responseComponents(): Record<string, object> {
  const components: Record<string, object> = { Error: ErrorBody };
  for (const module of RESPONSE_MODULES) {
    for (const [name, schema] of Object.entries(module)) {
      if (name.endsWith('Schema') && typeof schema === 'object') components[name.slice(0, -'Schema'.length)] = schema;
    }
  }
  return components;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A schema's text with its keys sorted: equal for equal schemas whatever order they were built in. */
function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k] as Json)}`).join(',')}}`;
}

/**
 * Replaces, in the answers of every operation and inside the named components themselves, each
 * schema equal to one of `names` (as swagger converted both) by a $ref to it.
 */
export function refResponseComponents<T extends { paths?: unknown; components?: { schemas?: Record<string, unknown> } }>(
  openapi: T,
  names: readonly string[],
): T {
  const schemas = (openapi.components?.schemas ?? {}) as Record<string, Json>;
  const byShape = new Map<string, string>();
  for (const name of names) {
    const schema = schemas[name];
    if (schema !== undefined) byShape.set(canonical(schema), name);
  }
  const refer = (node: Json): Json => {
    if (node === null || typeof node !== 'object') return node;
    const name = byShape.get(canonical(node));
    if (name !== undefined) return { $ref: `#/components/schemas/${name}` };
    return descend(node);
  };
  const descend = (node: Json): Json => {
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map(refer);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, refer(v)]));
  };
  for (const name of names) if (schemas[name] !== undefined) schemas[name] = descend(schemas[name]);
  const paths = (openapi.paths ?? {}) as Record<string, Record<string, { responses?: Record<string, Json> }>>;
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      if (operation.responses) operation.responses = descend(operation.responses) as Record<string, Json>;
    }
  }
  return openapi;
}
