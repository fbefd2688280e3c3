/**
 * Laurel's member widgets: one module defining every element, plus `configure()` (also on
 * `window.Laurel`) for defaults shared by all of them.
 */
import { configure, type LaurelConfig } from './config';
import { LaurelAchievement } from './laurel-achievement';
import { LaurelAchievements } from './laurel-achievements';
import { LaurelCelebration } from './laurel-celebration';
import { LaurelLeaderboard } from './laurel-leaderboard';
import { LaurelPoints } from './laurel-points';
import { LaurelStreak } from './laurel-streak';

export { decodeToken, type WidgetTokenPayload } from './token';
export type { LaurelConfig };
export { configure, LaurelAchievement, LaurelAchievements, LaurelCelebration, LaurelLeaderboard, LaurelPoints, LaurelStreak };

const ELEMENTS: Record<string, CustomElementConstructor> = {
  'laurel-achievements': LaurelAchievements,
  'laurel-achievement': LaurelAchievement,
  'laurel-celebration': LaurelCelebration,
  'laurel-points': LaurelPoints,
  'laurel-streak': LaurelStreak,
  'laurel-leaderboard': LaurelLeaderboard,
};

// Loaded twice (two versions on one page), the first definition stays: redefining would throw.
for (const [name, element] of Object.entries(ELEMENTS)) {
  if (!customElements.get(name)) customElements.define(name, element);
}

declare global {
  interface Window {
    Laurel?: { configure: typeof configure };
  }
  interface HTMLElementTagNameMap {
    'laurel-achievements': LaurelAchievements;
    'laurel-achievement': LaurelAchievement;
    'laurel-celebration': LaurelCelebration;
    'laurel-points': LaurelPoints;
    'laurel-streak': LaurelStreak;
    'laurel-leaderboard': LaurelLeaderboard;
  }
}

window.Laurel = { ...window.Laurel, configure };
