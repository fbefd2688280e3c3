/** What a member shares when Laurel celebrates with them, in their language. */
import { format } from './condition-text.js';
import type { Locale } from './locale.js';

export type Shared =
  | { kind: 'achievement'; name: string }
  | { kind: 'level'; level: string; system: string }
  | { kind: 'streak'; length: number; frequency: 'daily' | 'weekly' | 'monthly' };

const UNITS = { daily: 'day', weekly: 'week', monthly: 'month' } as const;

export function shareText(shared: Shared, locale: Locale): string {
  switch (shared.kind) {
    case 'achievement':
      return format(locale, 'shareAchievement', { name: shared.name });
    case 'level':
      return format(locale, 'shareLevel', { level: shared.level, system: shared.system });
    case 'streak':
      return format(locale, 'shareStreak', { n: shared.length, unit: UNITS[shared.frequency] });
  }
}
