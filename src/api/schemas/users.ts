import Type from 'typebox';
import { Attributes, Nullable, UserId } from './common.js';
import { TeamKeys } from './teams.js';

const userFields = {
  name: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  email: Type.Optional(Nullable(Type.String({ maxLength: 320 }))),
  tz: Type.Optional(Nullable(Type.String({ description: 'IANA time zone, e.g. "Europe/London"' }))),
  attributes: Type.Optional(Attributes),
  subscribeToEmails: Type.Optional(Type.Boolean()),
  locale: Type.Optional(
    Nullable(Type.String({ maxLength: 35, description: 'The member’s language, a BCP 47 tag ("de", "fr-CA"): emails to them use it' })),
  ),
  deviceTokens: Type.Optional(Nullable(Type.Array(Type.String()))),
  teams: Type.Optional(TeamKeys),
};

/** Trophy's UpdatedUser: Trophy's SDK may send fields Laurel does not know yet, so extras are ignored. */
export const UserFields = Type.Object(userFields);

/** Trophy's UpsertedUser: the fields plus the app's own user id. */
export const UserRef = Type.Object({
  id: UserId(),
  ...userFields,
});
