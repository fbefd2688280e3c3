/** The ICU message templates behind condition texts, one set per language. */
export interface Messages {
  /** "10,000 words": n with the singular or plural unit. */
  quantity: string;
  /** "Write 10,000 words". */
  withVerb: string;
  /** Sum of a metric without wording: "Reach a total of 10,000 in “Words written”". */
  sumPlain: string;
  /** Count of a metric's events without wording. */
  countPlain: string;
  api: string;
  compositeAll: string;
  compositeSome: string;
  /** How an achievement's name is quoted inside a sentence. */
  quoted: string;
  /** One further rung of a tier ladder: "50 (Silver)". */
  tierStep: string;
  repeatable: string;
  /** Once per period: unit is day, week, month or period. */
  perPeriod: string;
  /** Rolling window. */
  withinDays: string;
  /** Fixed window, between two dates. */
  between: string;
  /** A goal within one period: unit is day, week, month or period. */
  inPeriod: string;
  targetPercent: string;
  beatPrevious: string;
  /** unit is day, week or month. */
  streak: string;
  anniversary: string;
  orgScope: string;
  eventFilter: string;
  /** What a member shares when celebrating: an achievement unlocked ({name}). */
  shareAchievement: string;
  /** A level reached ({level} of the points system {system}). */
  shareLevel: string;
  /** A streak milestone ({n} periods; unit is day, week or month). */
  shareStreak: string;
  /** An unlock email's subject ({name} of the achievement). */
  emailUnlockSubject: string;
  /** An unlock email's first line ({name} of the achievement). */
  emailUnlockHeading: string;
  /** The text of an unlock email's unsubscribe link. */
  emailUnsubscribe: string;
}
