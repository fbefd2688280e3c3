/** What a member's app shows when Laurel celebrates with them: everything a pop-up needs. */
import Type from 'typebox';
import { RewardViewSchema } from './achievement-view.js';
import { Nullable } from './common.js';

export const CelebrationSchema = Type.Object(
  {
    id: Type.String({ description: 'The celebration (and the outbox event behind it): acknowledge it by this id' }),
    shareUrl: Type.String({
      description: 'A public page showing this celebration, with Open Graph tags for link previews (absolute URL)',
    }),
    kind: Type.Union([Type.Literal('achievement'), Type.Literal('level'), Type.Literal('streak')], {
      description: 'achievement: an achievement or tier unlocked; level: a points level reached; streak: a streak milestone',
    }),
    createdAt: Type.String({ description: 'When it happened (ISO 8601)' }),
    title: Type.String({ description: "What to show in large: the achievement's or level's name, or the streak's length" }),
    message: Nullable(Type.String(), { description: "The achievement's unlock message, in the member's language, if it has one" }),
    badgeUrl: Nullable(Type.String(), { description: 'The badge to show (the tier reached, else the achievement), if any' }),
    animation: Nullable(Type.String(), { description: "The achievement's celebration animation, if it names one" }),
    sound: Nullable(Type.String(), { description: "The achievement's celebration sound, if it names one" }),
    durationSeconds: Type.Number({ description: 'How long to show it' }),
    shareText: Type.String({ description: 'A sentence the member can share, in their language' }),
    rewards: Type.Array(RewardViewSchema, { description: 'What the unlock paid' }),
    achievementKey: Nullable(Type.String(), { description: 'The achievement unlocked (kind achievement)' }),
    tierKey: Nullable(Type.String(), { description: 'The tier reached (tiered achievements)' }),
    pointsSystemKey: Nullable(Type.String(), { description: 'The points system of the level (kind level)' }),
    streakLength: Nullable(Type.Integer(), { description: 'The streak length reached (kind streak)' }),
  },
  { description: 'A celebration not yet seen' },
);

export const CelebrationListSchema = Type.Object(
  { celebrations: Type.Array(CelebrationSchema, { description: 'Unseen celebrations, oldest first' }) },
  { description: "A member's unseen celebrations" },
);

export const CelebrationAckSchema = Type.Object(
  { acknowledged: Type.Integer({ description: 'How many of the ids were newly marked seen' }) },
  { description: 'Celebrations marked seen' },
);
