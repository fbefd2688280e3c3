/** What the health probes answer: whether the database answers (liveness), and takes writes (readiness). */
import type { Health } from '../api/schemas/health-view.js';
import type { EngineContext } from './context.js';

/** Up while the database answers; a database that refuses writes still counts as up. */
export async function readHealth(ctx: EngineContext): Promise<Health> {
  const outage = await ctx.store.outage();
  if (outage === 'database') return { status: 'unavailable', database: ctx.store.dialect, code: 'database_unavailable' };
  return { status: 'ok', database: ctx.store.dialect };
}

/** Ready while the database answers and takes writes, and the process is not shutting down. */
export async function readReadiness(ctx: EngineContext, closing: boolean): Promise<Health> {
  if (closing) return { status: 'shutting_down' };
  const outage = await ctx.store.outage();
  if (outage) return { status: 'unavailable', database: ctx.store.dialect, code: `${outage}_unavailable` };
  return { status: 'ready', database: ctx.store.dialect };
}
