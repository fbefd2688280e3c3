/**
 * Emails on unlock, through a real SMTP server: one per unlock of an achievement that asks for
 * them, to members with an address who want them; retried when the server refuses; stopped by the
 * one-click unsubscribe link; never for a backfill.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';
import { createLessons } from '../support/lessons.js';

interface Received {
  to: string[];
  headers: Map<string, string>;
  raw: string;
}

/** Decodes RFC 2047 encoded words ("=?UTF-8?Q?…?="), joining adjacent ones as the RFC says. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_h, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

function parse(raw: string, to: string[]): Received {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { to, headers, raw };
}

describe.each(DIALECTS)('emails on unlock (%s)', (dialect) => {
  let t: TestLaurel;
  let smtp: SMTPServer;
  const inbox: Received[] = [];
  let refuseNext = false;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(_address, _session, callback) {
        if (!refuseNext) return callback();
        refuseNext = false;
        const busy = Object.assign(new Error('Try again later'), { responseCode: 451 });
        callback(busy);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          inbox.push(
            parse(
              Buffer.concat(chunks).toString('utf8'),
              session.envelope.rcptTo.map((r) => r.address),
            ),
          );
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    t = await startLaurel({
      dialect,
      settings: { smtpUrl: `smtp://127.0.0.1:${port}`, emailFrom: 'Laurel <laurel@example.com>', publicUrl: 'https://laurel.example.com' },
    });
    await createLessons(t, { emailOnUnlock: true, celebration: { message: 'Well done!' } });
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'welcomed',
      name: 'Welcomed',
      criteria: { type: 'api' },
      emailOnUnlock: true,
      status: 'active',
    });
    await t.admin('POST', '/admin/v1/achievements', { key: 'onboarded', name: 'Onboarded', criteria: { type: 'api' }, status: 'active' });
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  /** Sends what is due and returns the emails received since the last call. */
  const delivered = async (): Promise<Received[]> => {
    await t.laurel.emails?.drain();
    return inbox.splice(0);
  };
  const complete = (key: string, user: Record<string, unknown>) => t.api('POST', `/v1/achievements/${key}/complete`, { user });

  it('sends one email, with text, HTML and a one-click unsubscribe link, for an achievement that asks for it', async () => {
    expect((await complete('welcomed', { id: 'ann', email: 'ann@example.com' })).status).toBe(201);
    const emails = await delivered();
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email?.to).toEqual(['ann@example.com']);
    expect(email?.headers.get('subject')).toBe('You unlocked “Welcomed”');
    expect(email?.headers.get('from')).toContain('laurel@example.com');
    expect(email?.headers.get('list-unsubscribe')).toMatch(/^<https:\/\/laurel\.example\.com\/v1\/unsubscribe\?token=[^>]+>$/);
    expect(email?.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(email?.raw).toMatch(/Content-Type: text\/plain/i);
    expect(email?.raw).toMatch(/Content-Type: text\/html/i);
    expect(await delivered()).toEqual([]);
  });

  it('sends none for an achievement that does not ask for it', async () => {
    await complete('onboarded', { id: 'ann', email: 'ann@example.com' });
    expect(await delivered()).toEqual([]);
  });

  it('sends none to a member without an address, unsubscribed, or whose preferences say no', async () => {
    await complete('welcomed', { id: 'bo' });
    await complete('welcomed', { id: 'cy', email: 'cy@example.com', subscribeToEmails: false });
    await t.api('POST', '/v1/users', { id: 'dee', email: 'dee@example.com' });
    expect((await t.api('PATCH', '/v1/users/dee/preferences', { notifications: { achievement_completed: ['push'] } })).status).toBe(200);
    await complete('welcomed', { id: 'dee' });
    expect(await delivered()).toEqual([]);
  });

  it('tries again when the server refuses, and delivers', async () => {
    refuseNext = true;
    await complete('welcomed', { id: 'eve', email: 'eve@example.com' });
    expect(await delivered()).toEqual([]);
    t.clock.advance(60_000);
    const emails = await delivered();
    expect(emails.map((e) => e.to)).toEqual([['eve@example.com']]);
  });

  it('unsubscribes in one click; later unlocks send nothing', async () => {
    await complete('welcomed', { id: 'fay', email: 'fay@example.com' });
    const [email] = await delivered();
    const link = new URL(email?.headers.get('list-unsubscribe')?.slice(1, -1) ?? '');
    const answer = await t.raw('POST', `${link.pathname}${link.search}`, {
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ unsubscribed: true, userId: 'fay' });
    expect((await t.api('GET', '/v1/users/fay')).body.subscribeToEmails).toBe(false);
    await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'fay' }, value: 1 });
    expect(await delivered()).toEqual([]);

    const forged = `${link.search.slice('?token='.length).split('.')[0]}.AAAA`;
    expect((await t.raw('POST', `/v1/unsubscribe?token=${forged}`)).status).toBe(422);
  });

  it('writes in the member’s language, with the achievement’s wording in it', async () => {
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'greeted',
      name: 'Greeted',
      criteria: { type: 'api' },
      translations: { de: { name: 'Begrüßt', unlockMessage: 'Schön, dass du da bist!' } },
      celebration: { message: 'Glad you are here!' },
      emailOnUnlock: true,
      status: 'active',
    });
    expect((await complete('greeted', { id: 'heidi', email: 'heidi@example.com', locale: 'de-CH' })).status).toBe(201);
    const [german] = await delivered();
    expect(german?.headers.get('subject')).toBe('Du hast „Begrüßt“ freigeschaltet');
    expect(german?.raw).toContain('dass du da bist!'); // the body is quoted-printable
    expect((await t.api('GET', '/v1/users/heidi')).body.locale).toBe('de-CH');
    // Devices write "fr_CA": it is stored as the tag it means.
    await complete('greeted', { id: 'kim', email: 'kim@example.com', locale: 'fr_ca' });
    expect((await delivered())[0]?.headers.get('subject')).toBe('Vous avez débloqué « Greeted »');
    expect((await t.api('GET', '/v1/users/kim')).body.locale).toBe('fr-CA');
    // A language Laurel does not speak falls back to English.
    await complete('greeted', { id: 'ines', email: 'ines@example.com', locale: 'es' });
    expect((await delivered())[0]?.headers.get('subject')).toBe('You unlocked “Greeted”');
    expect((await t.api('POST', '/v1/users', { id: 'jo', locale: 'not a tag!' })).body).toMatchObject({
      code: 'invalid_locale',
      field: 'locale',
    });
  });

  it('sends the unlock message and condition of a metric achievement', async () => {
    await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'gus', email: 'gus@example.com' }, value: 1 });
    const [email] = await delivered();
    expect(email?.headers.get('subject')).toBe('You unlocked “First lesson”');
    expect(email?.raw).toContain('Well done!');
  });

  it('forgets sent emails after the retention period', async () => {
    const emails = () => t.laurel.ctx.store.database.db.selectFrom('email_deliveries').select('status').execute();
    expect((await emails()).some((e) => e.status === 'sent')).toBe(true);
    t.clock.advance(31 * 86_400_000);
    await delivered();
    expect(await emails()).toEqual([]);
  });

  it('sends nothing for a backfill', async () => {
    await t.api('POST', '/v1/metrics/chapters/event', { user: { id: 'hal', email: 'hal@example.com' }, value: 5 });
    const created = await t.admin('POST', '/admin/v1/achievements', {
      key: 'reader',
      name: 'Reader',
      criteria: { type: 'metric', metric: 'chapters', threshold: 5 },
      policies: { onActivation: 'backfill' },
      emailOnUnlock: true,
      status: 'active',
    });
    expect(created.body.backfill).toMatchObject({ status: 'done' });
    expect(await delivered()).toEqual([]);
  });
});
