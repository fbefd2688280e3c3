import Type, { type Static } from 'typebox';

export const StreakIssueSchema = Type.Object(
  {
    userId: Type.String({ description: 'The user it is about' }),
    level: Type.Union([Type.Literal('error'), Type.Literal('warning')], {
      description: 'error: the user is unknown; warning: nothing to do for them',
    }),
    reason: Type.String({ description: 'Why, in words' }),
  },
  { description: 'A user whose streak was left as it was' },
);
export type StreakIssue = Static<typeof StreakIssueSchema>;

export const FreezeGrantSchema = Type.Object(
  { issues: Type.Array(StreakIssueSchema, { description: 'Users who got no freeze, and why' }) },
  { description: 'The outcome of granting freezes' },
);
export type FreezeGrant = Static<typeof FreezeGrantSchema>;

export const StreakRestoreSchema = Type.Object(
  {
    restoredUsers: Type.Array(Type.String({ description: 'A user id' }), { description: 'Users whose streak was restored' }),
    issues: Type.Array(StreakIssueSchema, { description: 'Users whose streak was not restored, and why' }),
  },
  { description: 'The outcome of restoring streaks' },
);
export type StreakRestore = Static<typeof StreakRestoreSchema>;
