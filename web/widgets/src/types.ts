/** The API's response shapes, taken from the server's own schemas (types only: nothing of them is bundled). */
import type { Static } from 'typebox';
import type { RewardViewSchema, UserAchievementSchema } from '../../../src/api/schemas/achievement-view';
import type { CelebrationListSchema, CelebrationSchema } from '../../../src/api/schemas/celebration-view';
import type { LeaderboardRankingsSchema, UserLeaderboardSchema } from '../../../src/api/schemas/leaderboard-view';
import type { LevelViewSchema, PointsSystemViewSchema, UserPointsSchema } from '../../../src/api/schemas/points-view';
import type { StreakPeriodSchema, UserStreakSchema } from '../../../src/api/schemas/streak-view';

export type UserAchievement = Static<typeof UserAchievementSchema>;
export type Reward = Static<typeof RewardViewSchema>;
/** `shareUrl`: the public page of the celebration, which servers add as they learn to (absent on older ones). */
export type Celebration = Static<typeof CelebrationSchema> & { shareUrl?: string | null };
export type CelebrationList = Static<typeof CelebrationListSchema>;
export type UserPoints = Static<typeof UserPointsSchema>;
export type PointsSystem = Static<typeof PointsSystemViewSchema>;
export type Level = Static<typeof LevelViewSchema>;
export type UserStreak = Static<typeof UserStreakSchema>;
export type StreakPeriod = Static<typeof StreakPeriodSchema>;
export type UserLeaderboard = Static<typeof UserLeaderboardSchema>;
export type LeaderboardRankings = Static<typeof LeaderboardRankingsSchema>;
