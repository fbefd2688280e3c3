export interface CommunitySettings {
  /** An event or achievement naming an unknown metric is a 404 instead of creating it. */
  strictMetrics: boolean;
  /** Off: events still count, but nothing unlocks. */
  achievementsEnabled: boolean;
  /** First day of the week for weekly periods and streaks: 1 is Monday … 7 is Sunday. */
  weekStart: number;
  /** Events older than this many days are refused. */
  lateEventHorizonDays: number;
}

export const DEFAULT_SETTINGS: CommunitySettings = {
  strictMetrics: false,
  achievementsEnabled: true,
  weekStart: 1,
  lateEventHorizonDays: 30,
};

export interface Community {
  id: string;
  orgId: string;
  key: string;
  name: string;
  settings: CommunitySettings;
  configVersion: number;
}
