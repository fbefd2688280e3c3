/** The one-click unsubscribe link of an email: sets the member's subscribeToEmails to false. */
import { invalid } from '../domain/errors.js';
import type { EngineContext } from './context.js';
import { saveUser } from './manage-users.js';
import { readUnsubscribeToken } from './unsubscribe-token.js';

export async function unsubscribe(ctx: EngineContext, token: string): Promise<{ unsubscribed: true; userId: string }> {
  const who = await readUnsubscribeToken(ctx.store.read, token);
  if (!who) throw invalid('invalid_unsubscribe_token', 'This unsubscribe link is not valid', 'token');
  await saveUser(ctx, who.tenant, { id: who.userId, subscribeToEmails: false }, 'update');
  return { unsubscribed: true, userId: who.userId };
}
