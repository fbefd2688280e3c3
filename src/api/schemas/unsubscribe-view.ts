/** What the one-click unsubscribe link answers. */
import Type, { type Static } from 'typebox';
import { UserId } from './common.js';

export const UnsubscribedSchema = Type.Object(
  {
    unsubscribed: Type.Literal(true, { description: 'Always true' }),
    userId: UserId('Who no longer gets emails'),
  },
  { description: 'The member gets no more emails (subscribeToEmails is false)' },
);
export type Unsubscribed = Static<typeof UnsubscribedSchema>;
