/**
 * What the dashboard shows of notifications without a place to change them: whether email on
 * unlock is on (never the SMTP credentials), and the event types a webhook can subscribe to.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

describe.each(DIALECTS)('GET /admin/v1/email (%s)', (dialect) => {
  let t: TestLaurel | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const achievement = (key: string, name: string, emailOnUnlock: boolean, status = 'active') =>
    t?.admin('POST', '/admin/v1/achievements', { key, name, criteria: { type: 'api' }, emailOnUnlock, status });

  it('says email is off without LAUREL_SMTP_URL, and still lists the achievements that would send', async () => {
    t = await startLaurel({ dialect, settings: { port: 8123 } });
    await achievement('welcome', 'Welcome', true);
    await achievement('quiet', 'Quiet one', false);
    await achievement('draft-mail', 'A draft that mails', true, 'draft');
    await achievement('gone', 'Gone', true);
    for (const status of ['locked', 'archived']) {
      expect((await t.admin('PATCH', '/admin/v1/achievements/gone', { status })).status).toBe(200);
    }

    const reply = await t.admin('GET', '/admin/v1/email');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      enabled: false,
      smtp: null,
      from: 'Laurel <laurel@localhost>',
      publicUrl: 'http://127.0.0.1:8123',
      publicUrlSet: false,
      achievements: [
        { key: 'draft-mail', name: 'A draft that mails', status: 'draft' },
        { key: 'welcome', name: 'Welcome', status: 'active' },
      ],
    });
  });

  it('shows the SMTP host and port but never its user name or password', async () => {
    t = await startLaurel({
      dialect,
      settings: {
        smtpUrl: 'smtp://mailer:hunter2-secret@mail.example.com:2525',
        emailFrom: 'Writers <hello@example.com>',
        publicUrl: 'https://laurel.example.com',
      },
    });
    const reply = await t.admin('GET', '/admin/v1/email');
    expect(reply.body).toMatchObject({
      enabled: true,
      smtp: { host: 'mail.example.com', port: 2525, secure: false },
      from: 'Writers <hello@example.com>',
      publicUrl: 'https://laurel.example.com',
      publicUrlSet: true,
    });
    const text = JSON.stringify(reply.body);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('mailer');
  });

  it('is for admin keys only', async () => {
    t = await startLaurel({ dialect });
    expect((await t.api('GET', '/admin/v1/email')).status).toBe(403);
  });
});

describe('GET /admin/v1/webhook-event-types', () => {
  it('lists the types Laurel announces, each with what it means', async () => {
    const t = await startLaurel();
    try {
      const reply = await t.admin('GET', '/admin/v1/webhook-event-types');
      expect(reply.status).toBe(200);
      expect(reply.body.map((e: { type: string }) => e.type)).toEqual([
        'achievement.completed',
        'points.changed',
        'points.level_changed',
        'streak.extended',
        'streak.milestone',
      ]);
      for (const e of reply.body) expect(e.description).not.toBe('');
    } finally {
      await t.close();
    }
  });
});
