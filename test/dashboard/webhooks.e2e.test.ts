/**
 * The dashboard's notification screens, in Chromium, against a real Laurel server that may reach a
 * webhook receiver on loopback (LAUREL_WEBHOOK_ALLOW_PRIVATE=1): a webhook created with its secret
 * shown once, pinged, retried, replayed, edited and deleted; email on unlock shown without its
 * credentials. Screenshots go to test-output/dashboard.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launch, SKIP_REASON, screenshot, watchConsole } from '../support/browser.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { type Received, type Receiver, startReceiver } from '../support/webhook-receiver.js';

const KEY = 'dashboard-webhooks-admin-key-0123456789';
const SMTP_PASSWORD = 'hunter2-smtp-password';
const SLOW = 90_000;

/** Standard Webhooks verification with the secret as the dashboard showed it. */
function signedWith(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`)
    .digest('base64');
  return String(r.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

/** A datetime-local value in UTC (the browser runs in UTC here). */
const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16);

describe.skipIf(SKIP_REASON !== null)('webhooks and email in the dashboard', () => {
  let server: ServerProcess;
  let receiver: Receiver;
  let dataDir: string;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let secret = '';

  const call = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(server.url + url, {
      method,
      headers: { 'x-api-key': KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const open = (to: string) => page.goto(`${server.url}/dashboard${to}`);
  const received = (type: string) => receiver.received.filter((r) => JSON.parse(r.body).type === type);
  const expectAccessible = async () => expect(await accessibilityProblems(page)).toEqual([]);
  const deliveryRow = (type: string) => page.locator(`tr[data-event-type="${type}"]`).first();

  beforeAll(async () => {
    receiver = await startReceiver();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-dashboard-webhooks-'));
    server = await startServerProcess({
      LAUREL_DATA_DIR: dataDir,
      LAUREL_MASTER_KEY: KEY,
      LAUREL_WEBHOOK_ALLOW_PRIVATE: '1',
      // Nothing listens there: no email is due (members here have no address), the settings are only shown.
      LAUREL_SMTP_URL: `smtp://mailer:${SMTP_PASSWORD}@127.0.0.1:2525`,
      LAUREL_EMAIL_FROM: 'Writers <hello@example.com>',
      LAUREL_PUBLIC_URL: 'https://laurel.example.com',
    });
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, timezoneId: 'UTC' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    problems = watchConsole(page);
    await call('POST', '/admin/v1/metrics', { key: 'words', name: 'Words written', verb: 'Write', unit: 'words', unitSingular: 'word' });
    await call('POST', '/admin/v1/achievements', {
      key: 'first-words',
      name: 'First words',
      criteria: { type: 'metric', metric: 'words', threshold: 1 },
      status: 'active',
      emailOnUnlock: true,
    });
  }, SLOW);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await receiver?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'creates a webhook from the list of event types and shows its signing secret once',
    async () => {
      await open('/');
      await page.getByLabel('Admin key').fill(KEY);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('link', { name: 'Webhooks' }).click();
      await page.getByText('No webhooks yet').waitFor();

      await page.getByRole('button', { name: 'New webhook' }).click();
      await page.getByLabel(/^URL\s*\*?$/).fill(`${receiver.url}/hooks`);
      await page.getByLabel('Description').fill('Unlocks for the CRM');
      await page.getByRole('textbox', { name: 'Event types' }).click();
      await page.getByRole('option', { name: /^achievement\.completed/ }).click();
      await page.keyboard.press('Escape');
      await expectAccessible();
      await screenshot(page, 'webhook-create', { docs: true });
      await page.getByRole('button', { name: 'Create webhook' }).click();

      const shown = page.getByTestId('webhook-secret');
      await shown.waitFor();
      secret = (await shown.textContent()) ?? '';
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
      expect(await page.getByText('You will not see this again').isVisible()).toBe(true);
      await expectAccessible();
      await screenshot(page, 'webhook-secret', { docs: true });
      await page.getByRole('button', { name: 'I have copied it' }).click();

      const row = page.getByRole('row').filter({ hasText: `${receiver.url}/hooks` });
      await row.waitFor();
      expect(await row.textContent()).toContain('achievement.completed');
      expect(await row.textContent()).toContain('Enabled');
      expect(await row.textContent()).toContain('No deliveries yet');
      // Once closed, the secret is nowhere: not on the page, not after a reload, not in the API.
      expect(await page.content()).not.toContain(secret);
      await page.reload();
      await row.waitFor();
      expect(await page.content()).not.toContain(secret);
      expect(JSON.stringify((await call('GET', '/admin/v1/webhooks')).body)).not.toContain(secret);
      await expectAccessible();
    },
    SLOW,
  );

  it(
    'pings it: a refused ping shows as failed in the log, and Retry delivers it',
    async () => {
      receiver.answer = () => 500;
      await page.getByRole('link', { name: `${receiver.url}/hooks` }).click();
      await page.getByRole('heading', { name: `${receiver.url}/hooks` }).waitFor();
      await page.getByRole('button', { name: 'Send ping' }).click();
      const result = page.getByTestId('ping-result');
      await result.waitFor();
      expect(await result.textContent()).toContain('Ping failed');
      expect(await result.textContent()).toContain('HTTP 500');
      // The ping was signed with the secret the dashboard showed.
      const [ping] = received('webhook.ping');
      expect(ping && signedWith(secret, ping)).toBe(true);

      const row = deliveryRow('webhook.ping');
      await row.waitFor();
      expect(await row.getByTestId('delivery-status').textContent()).toBe('Failed, will retry');
      expect(await row.getByTestId('delivery-response').textContent()).toBe('HTTP 500');
      await expectAccessible();
      await screenshot(page, 'webhook-failed-ping');

      receiver.answer = () => 200;
      await row.getByRole('button', { name: /^Retry/ }).click();
      await expect.poll(() => row.getByTestId('delivery-status').textContent(), { timeout: 15_000 }).toBe('Delivered');
      expect(await row.getByTestId('delivery-response').textContent()).toBe('HTTP 200');
      expect(await row.getByRole('button', { name: /^Retry/ }).count()).toBe(0);
      expect(received('webhook.ping').length).toBeGreaterThanOrEqual(2);
      await screenshot(page, 'webhook-log', { docs: true });
    },
    SLOW,
  );

  it(
    'shows an unlock delivered, and replays a time range',
    async () => {
      const arrived = receiver.received.length;
      const sent = await call('POST', '/v1/metrics/words/event', { user: { id: 'ada', name: 'Ada' }, value: 5 });
      expect(sent.status).toBe(201);
      await receiver.waitFor(arrived + 1, 10_000);
      await expect
        .poll(
          async () => {
            await page.getByRole('button', { name: 'Refresh' }).click();
            return deliveryRow('achievement.completed')
              .getByTestId('delivery-status')
              .textContent({ timeout: 1_000 })
              .catch(() => null);
          },
          { timeout: 15_000 },
        )
        .toBe('Delivered');
      // Only the type it subscribes to: points.changed and the like are not sent.
      expect(receiver.received.map((r) => JSON.parse(r.body).type).filter((t) => t !== 'webhook.ping')).toEqual(['achievement.completed']);

      const before = received('achievement.completed').length;
      const beforeReplay = receiver.received.length;
      await page.getByLabel(/^From\s*\*?$/).fill(minute(Date.now() - 3_600_000));
      await page.getByLabel(/^To\s*\*?$/).fill(minute(Date.now() + 3_600_000));
      await page.getByRole('button', { name: 'Replay', exact: true }).click();
      await expect.poll(() => page.getByTestId('replay-result').textContent()).toBe('1 delivery queued.');
      await receiver.waitFor(beforeReplay + 1, 10_000);
      const unlocks = received('achievement.completed');
      expect(unlocks).toHaveLength(before + 1);
      // The same event again: receivers deduplicate by its id.
      expect(unlocks.at(-1)?.headers['webhook-id']).toBe(unlocks[0]?.headers['webhook-id']);
      await expectAccessible();
    },
    SLOW,
  );

  it(
    'edits it and disables it',
    async () => {
      await page.getByRole('button', { name: 'Edit' }).click();
      const description = page.getByLabel('Description');
      await expect.poll(() => description.inputValue()).toBe('Unlocks for the CRM');
      await description.fill('Unlocks and points for the CRM');
      await page.getByRole('textbox', { name: 'Event types' }).click();
      await page.getByRole('option', { name: /^points\.changed/ }).click();
      await page.keyboard.press('Escape');
      await expectAccessible();
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await page.getByText('Unlocks and points for the CRM').waitFor();

      const enabled = page.getByRole('switch', { name: 'Enabled' });
      await enabled.click({ force: true });
      await expect.poll(() => enabled.isChecked()).toBe(false);
      await expect.poll(async () => (await call('GET', '/admin/v1/webhooks')).body[0]?.enabled).toBe(false);
      expect((await call('GET', '/admin/v1/webhooks')).body[0]).toMatchObject({
        description: 'Unlocks and points for the CRM',
        eventTypes: ['achievement.completed', 'points.changed'],
        enabled: false,
      });
      await page.getByRole('link', { name: 'Webhooks' }).first().click();
      const row = page.getByRole('row').filter({ hasText: `${receiver.url}/hooks` });
      await expect.poll(() => row.textContent()).toContain('Disabled');
      await expect.poll(() => row.getByTestId('delivery-status').textContent()).toBe('Delivered');
      await screenshot(page, 'webhooks', { docs: true });
    },
    SLOW,
  );

  it(
    'shows email on unlock as configured, without the SMTP credentials',
    async () => {
      await page.getByRole('link', { name: 'Settings › Email' }).click();
      await page.getByRole('tab', { name: 'Email', selected: true }).waitFor();
      await expect.poll(() => page.getByTestId('email-enabled').textContent()).toBe('On');
      expect(await page.getByTestId('email-smtp').textContent()).toContain('127.0.0.1:2525');
      expect(await page.getByTestId('email-from').textContent()).toBe('Writers <hello@example.com>');
      expect(await page.getByTestId('email-public-url').textContent()).toBe('https://laurel.example.com');
      expect(await page.getByTestId('email-achievements').textContent()).toContain('First words');
      const html = await page.content();
      expect(html).not.toContain(SMTP_PASSWORD);
      expect(html).not.toContain('mailer');
      await expectAccessible();
      await screenshot(page, 'settings-email', { docs: true });
    },
    SLOW,
  );

  it(
    'deletes it after asking, and the page reported no errors',
    async () => {
      await open('/webhooks');
      await page.getByRole('link', { name: `${receiver.url}/hooks` }).click();
      await page.getByRole('button', { name: 'Delete' }).click();
      await page.getByText('This cannot be undone').waitFor();
      await expectAccessible();
      await page.getByRole('button', { name: 'Delete webhook' }).click();
      await page.getByText('No webhooks yet').waitFor();
      expect((await call('GET', '/admin/v1/webhooks')).body).toEqual([]);
      expect(problems).toEqual([]);
    },
    SLOW,
  );
});
