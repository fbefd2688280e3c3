export interface CommunitySettings {
  /** An event or achievement naming an unknown metric is a 404 instead of creating it. */
  strictMetrics: boolean;
  /** Off: events still count, but nothing unlocks. */
  achievementsEnabled: boolean;
}

export const DEFAULT_SETTINGS: CommunitySettings = {
  strictMetrics: false,
  achievementsEnabled: true,
};

export interface Community {
  id: string;
  orgId: string;
  key: string;
  name: string;
  settings: CommunitySettings;
  configVersion: number;
}
