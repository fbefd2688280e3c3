/** Users as apps see them: Trophy's User, and the user's own settings (targets, notification preferences). */
import Type from 'typebox';
import { Attributes, Nullable } from './common.js';

export const UserViewSchema = Type.Object(
  {
    id: Type.String({ description: 'The ID of the user in your app' }),
    email: Nullable(Type.String({ description: "The user's email address" })),
    name: Nullable(Type.String({ description: 'The name of the user' })),
    tz: Nullable(Type.String({ description: "The user's IANA time zone; null: UTC" })),
    deviceTokens: Nullable(Type.Array(Type.String(), { description: "The user's device tokens, for push notifications" })),
    subscribeToEmails: Type.Boolean({ description: 'Whether the user is opted into emails' }),
    locale: Nullable(
      Type.String({
        description: "The user's language (a canonical BCP 47 tag); null: none given (emails are in English). Laurel's addition",
      }),
    ),
    attributes: Attributes,
    teams: Type.Optional(
      Type.Array(Type.String(), { description: "Keys of the teams the user is in now (on the users API's answers). Laurel's addition" }),
    ),
    control: Type.Boolean({ description: 'Whether the user is in a control group (Laurel has none: always false)' }),
    created: Type.String({ description: 'When the user was created (ISO 8601)' }),
    updated: Type.String({ description: 'When the user was last updated (ISO 8601)' }),
  },
  { description: "Trophy's User" },
);

export const TargetViewSchema = Type.Object(
  {
    metric: Type.String({ description: 'The metric key' }),
    value: Type.Number({ description: 'The target amount' }),
    per: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], { description: 'The period the amount is for' }),
    updated: Type.String({ description: 'When the target was last set (ISO 8601)' }),
  },
  { description: "A user's target for a metric" },
);

const channels = (description: string) =>
  Type.Array(Type.Union([Type.Literal('email'), Type.Literal('push')]), { description: `Channels for ${description}` });

export const PreferencesViewSchema = Type.Object(
  {
    notifications: Type.Object(
      {
        achievement_completed: channels('achievement completion notifications'),
        recap: channels('recap notifications'),
        reactivation: channels('reactivation notifications'),
        streak_reminder: channels('streak reminders'),
      },
      { description: 'Channels per kind of notification' },
    ),
  },
  { description: "Trophy's UserPreferencesResponse" },
);
