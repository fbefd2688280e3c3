export interface CommunitySettings {
  /** An event or achievement naming an unknown metric is a 404 instead of creating it. */
  strictMetrics: boolean;
  /** Off: events still count, but nothing unlocks. */
  achievementsEnabled: boolean;
  /** First day of the week for weekly periods and streaks: 1 is Monday … 7 is Sunday. */
  weekStart: number;
  /** Events older than this many days are refused. */
  lateEventHorizonDays: number;
  /** What each API key of the community may send; null means no limit. */
  rateLimits: RateLimits;
  /** Origins (`https://app.example.com`) whose pages may call the API with a member's widget token (CORS). */
  widgetOrigins: string[];
}

export interface RateLimits {
  /** Events per second and key (each event of a batch counts; other /v1 changes count one each). */
  eventsPerSecond: number | null;
  /** GET requests under /v1 per second and key. */
  readsPerSecond: number | null;
}

export const NO_RATE_LIMITS: RateLimits = { eventsPerSecond: null, readsPerSecond: null };

export const DEFAULT_SETTINGS: CommunitySettings = {
  strictMetrics: false,
  achievementsEnabled: true,
  weekStart: 1,
  lateEventHorizonDays: 30,
  rateLimits: NO_RATE_LIMITS,
  widgetOrigins: [],
};

/** A change to the settings: absent fields stay as they are; `rateLimits: null` lifts both limits. */
export type SettingsPatch = Partial<Omit<CommunitySettings, 'rateLimits'>> & { rateLimits?: Partial<RateLimits> | null };

export function patchSettings(current: CommunitySettings, patch: SettingsPatch): CommunitySettings {
  const { rateLimits, ...rest } = patch;
  return {
    ...current,
    ...rest,
    // One limit can change without restating the other.
    rateLimits: rateLimits === null ? NO_RATE_LIMITS : { ...NO_RATE_LIMITS, ...current.rateLimits, ...rateLimits },
  };
}

export interface Community {
  id: string;
  orgId: string;
  key: string;
  name: string;
  settings: CommunitySettings;
  configVersion: number;
}
