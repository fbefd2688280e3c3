/**
 * Built-in events raised outside the event path (a member created through the users API, an API
 * completion), applied as one batch in the caller's transaction, so rules on them behave as they do
 * for events. What they pay is added to the caller's answer.
 */
import type { RaisedEvent } from '../../domain/built-in-events.js';
import type { Locale } from '../../domain/locale.js';
import type { UserInput } from '../../domain/user.js';
import { addValues } from '../../domain/values.js';
import type { Repositories } from '../../store/store.js';
import type { Tenant } from '../../store/tenant.js';
import type { CommunityConfig } from '../community-config.js';
import type { EngineContext } from '../context.js';
import type { PointsChangeView } from '../unlock-recorder.js';
import { applyBatch } from './apply-batch.js';
import { nothingPaid, type Paid } from './pay.js';

/** `user`: the member, as the request describes them (created by the first event when new). */
export async function applyBuiltIns(
  ctx: EngineContext,
  tx: Repositories,
  tenant: Tenant,
  config: CommunityConfig,
  user: UserInput,
  raised: readonly RaisedEvent[],
  now: number,
  locale: Locale,
): Promise<Paid> {
  // An archived built-in metric takes no events, as on the event path.
  const live = raised.filter((r) => config.rules.metricsByKey.get(r.metric)?.status !== 'archived');
  if (live.length === 0) return nothingPaid();
  const events = live.map((r) => ({ ...r, user, index: null, at: '', fingerprint: '' }));
  const outcomes = await applyBatch(ctx, tx, tenant, config, events, now, locale);
  const paid = nothingPaid();
  for (const { response } of outcomes) {
    paid.achievements.push(...response.achievements);
    mergePoints(paid.points, response.points);
  }
  return paid;
}

/** Adds one answer's points changes to another's, system by system: later balances and levels win. */
export function mergePoints(into: Record<string, PointsChangeView>, more: Readonly<Record<string, PointsChangeView>>): void {
  for (const [key, change] of Object.entries(more)) {
    const earlier = Object.hasOwn(into, key) ? into[key] : undefined;
    into[key] = earlier
      ? {
          ...earlier,
          total: change.total,
          added: addValues(earlier.added, change.added),
          awards: [...earlier.awards, ...change.awards],
          ...(change.level === undefined ? {} : { level: change.level }),
        }
      : change;
  }
}
