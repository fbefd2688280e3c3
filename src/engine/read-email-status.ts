/** Email on unlock as configured for this server, and which of a community's achievements send it. */
import type { EmailStatus } from '../api/schemas/email-view.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';

/** How this server sends emails on unlock (from its settings). */
export interface EmailConfiguration {
  /** smtp:// or smtps://, possibly with user:pass; undefined: no emails. */
  smtpUrl: string | undefined;
  from: string;
  publicUrl: string;
  /** Whether publicUrl was configured rather than defaulted. */
  publicUrlSet: boolean;
}

/** Host and port only: the URL's user name and password never leave the server. */
function smtpServer(url: string): NonNullable<EmailStatus['smtp']> {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'smtps:';
  // nodemailer's defaults when the URL names no port.
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : secure ? 465 : 587, secure };
}

export async function readEmailStatus(ctx: EngineContext, tenant: Tenant): Promise<EmailStatus> {
  const email = ctx.email;
  const config = await ctx.config.get(ctx.store.read, tenant);
  const achievements = [...config.rules.achievementsById.values()]
    .flatMap((a) => (a.emailOnUnlock && a.status !== 'archived' ? [{ key: a.key, name: a.name, status: a.status }] : []))
    .sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key));
  return {
    enabled: email.smtpUrl !== undefined,
    smtp: email.smtpUrl === undefined ? null : smtpServer(email.smtpUrl),
    from: email.from,
    publicUrl: email.publicUrl,
    publicUrlSet: email.publicUrlSet,
    achievements,
  };
}
