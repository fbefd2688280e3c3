import type { AchievementStatus } from './achievement.js';
import { conflict } from './errors.js';

/**
 * draft → active ⇄ locked → archived. A draft may also be archived directly: achievements are
 * never deleted, and activating an unwanted draft just to retire it would award it to people.
 */
const NEXT: Record<AchievementStatus, readonly AchievementStatus[]> = {
  draft: ['active', 'archived'],
  active: ['locked'],
  locked: ['active', 'archived'],
  archived: [],
};

export function assertTransition(from: AchievementStatus, to: AchievementStatus): void {
  if (from === to || NEXT[from].includes(to)) return;
  const allowed = NEXT[from];
  const hint = allowed.length > 0 ? ` (from ${from} it can become ${allowed.join(' or ')})` : '';
  throw conflict('illegal_status_transition', `An achievement cannot go from ${from} to ${to}${hint}`, 'status');
}

/** Only active achievements can be earned. */
export function isEarnable(status: AchievementStatus): boolean {
  return status === 'active';
}

/** Active ones are shown to everybody, locked ones only to those who hold them. */
export function isVisibleTo(status: AchievementStatus, held: boolean): boolean {
  return status === 'active' || (status === 'locked' && held);
}
