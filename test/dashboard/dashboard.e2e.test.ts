/**
 * The dashboard, used as a community manager would: in Chromium, against a real Laurel server on an
 * empty temporary database. Each test leaves a screenshot in test-output/dashboard. Each main screen
 * is checked with axe-core (WCAG 2 A and AA) and the accessibility tree, as a screen reader meets it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launch, SKIP_REASON, screenshot, watchConsole } from '../support/browser.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';

const KEY = 'dashboard-e2e-admin-key-0123456789';
const SLOW = 90_000;

describe.skipIf(SKIP_REASON !== null)('dashboard in a browser', () => {
  let server: ServerProcess;
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  const call = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(server.url + url, {
      method,
      headers: { 'x-api-key': KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const send = (user: string, value: number) =>
    call('POST', '/v1/metrics/words/event', { user: { id: user, name: user[0]!.toUpperCase() + user.slice(1) }, value });
  const open = async (to: string) => {
    await page.goto(`${server.url}/dashboard${to}`);
  };
  const expectAccessible = async () => expect(await accessibilityProblems(page)).toEqual([]);
  /** Chooses an option of a Mantine Select by its label. */
  const choose = async (label: string, option: string, scope: Page | ReturnType<Page['locator']> = page) => {
    await scope.getByRole('textbox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-dashboard-'));
    server = await startServerProcess({ LAUREL_DATA_DIR: dataDir, LAUREL_MASTER_KEY: KEY });
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    problems = watchConsole(page);
    await call('POST', '/admin/v1/metrics', { key: 'words', name: 'Words written', verb: 'Write', unit: 'words', unitSingular: 'word' });
    await call('POST', '/admin/v1/points-systems', {
      key: 'xp',
      name: 'XP',
      levels: [
        { key: 'novice', name: 'Novice', points: 0 },
        { key: 'author', name: 'Author', points: 100 },
      ],
    });
  }, SLOW);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'refuses a wrong key, saying so, and signs in with the admin key',
    async () => {
      await open('/');
      await expect(page.getByRole('heading', { name: 'Sign in to Laurel' }).isVisible()).resolves.toBe(true);
      await page.getByLabel('Admin key').fill('not-the-key');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const error = page.getByTestId('signin-error');
      await error.waitFor();
      expect(await error.textContent()).toContain('That key is not valid');
      await expectAccessible();
      await screenshot(page, 'sign-in', { docs: true });

      await page.getByLabel('Admin key').fill(KEY);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Achievements', exact: true }).waitFor();
      await page.getByText('No achievements yet').waitFor();
      await expectAccessible();
      await screenshot(page, 'empty-list');
    },
    SLOW,
  );

  it(
    'creates a tiered achievement as a draft, with the condition worded live',
    async () => {
      await page.getByRole('link', { name: 'New achievement' }).first().click();
      await page.getByRole('heading', { name: 'New achievement' }).waitFor();
      await page.getByLabel(/^Name\s*\*?$/).fill('Prolific writer');
      await page.getByLabel(/^Description\s*\*?$/).fill('Write a lot of words.');
      await page.getByLabel('Category').fill('Writing');
      await page.getByRole('textbox', { name: 'Tags' }).fill('launch');
      await page.keyboard.press('Enter');
      await page.getByRole('textbox', { name: 'Metric', exact: true }).fill('words');
      await page.keyboard.press('Escape');
      await choose('Goal', 'Tiers (bronze, silver, gold…)');
      for (const [i, threshold] of ['10', '50', '100'].entries()) {
        await page.getByTestId(`tier-${i}`).getByLabel('Threshold').fill(threshold);
      }
      await page.getByTestId('tier-0').getByRole('button', { name: 'Add reward' }).click();
      await choose('Points system', 'XP', page.getByTestId('tier-0'));
      const preview = page.getByTestId('condition-preview');
      await expect.poll(() => preview.textContent(), { timeout: 10_000 }).toBe('Write 10 words (Bronze) · 50 (Silver) · 100 (Gold)');
      await page.locator('#criteria').evaluate('(el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 76)');
      await expectAccessible();
      await screenshot(page, 'create-form', { docs: true });

      await page.getByTestId('save-draft').click();
      await page.getByRole('heading', { name: 'Prolific writer' }).waitFor();
      expect(await page.getByTestId('status').textContent()).toBe('draft');
      expect(await page.getByTestId('condition').textContent()).toBe('Write 10 words (Bronze) · 50 (Silver) · 100 (Gold)');

      // It is in the list the moment it is saved.
      await page.getByRole('link', { name: 'Achievements' }).first().click();
      await page.locator('tr[data-key="prolific-writer"]').waitFor();
    },
    SLOW,
  );

  it(
    'publishes it, saying first how many users already qualify',
    async () => {
      await send('ada', 60);
      await send('grace', 12);
      await send('linus', 3);
      await open('/achievements/prolific-writer');
      await page.getByRole('button', { name: 'Publish' }).click();
      const consequence = page.getByTestId('backfill-consequence');
      await consequence.waitFor();
      expect(await consequence.textContent()).toContain('2 users already qualify and will receive it silently');
      await expectAccessible();
      await screenshot(page, 'publish-confirmation', { docs: true });
      await page.getByTestId('confirm-status').click();
      // Publishing answers once the backfill is done or after 5 s of waiting for it, not within poll's 1 s default.
      await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 10_000 }).toBe('active');
      expect(await page.getByTestId('stat-completions').textContent()).toBe('2');
    },
    SLOW,
  );

  it(
    'shows completions, rarity and the progress chart change as events arrive',
    async () => {
      // Publishing reloaded the chart in the background: wait for it rather than read the old one.
      const stages = async () =>
        Object.fromEntries(
          JSON.parse((await page.getByTestId('progress-chart').getAttribute('data-stages')) as string) as [string, number][],
        );
      await expect.poll(stages).toMatchObject({ '25–49%': 1, Bronze: 1, Silver: 1, Gold: 0 });
      expect(await page.getByTestId('stat-rarity').textContent()).toBe('66.67%');

      expect((await send('linus', 200)).body.achievements.map((a: any) => a.tier.key)).toEqual(['bronze', 'silver', 'gold']);
      await send('margaret', 5);
      await page.reload();
      await expect.poll(() => page.getByTestId('stat-completions').textContent()).toBe('3');
      expect(await page.getByTestId('stat-rarity').textContent()).toBe('75%');
      await expect.poll(stages).toMatchObject({ '25–49%': 0, '50–74%': 1, Bronze: 1, Silver: 1, Gold: 1 });
      expect(await page.getByTestId('latest-unlocks').textContent()).toContain('Linus');
      await page.locator('.recharts-bar-rectangle').first().waitFor();
      await expectAccessible();
      await screenshot(page, 'achievement-page', { docs: true });
    },
    SLOW,
  );

  it(
    'filters and sorts, and keeps both across a reload',
    async () => {
      await call('POST', '/admin/v1/achievements', {
        key: 'first-words',
        name: 'First words',
        tags: ['launch'],
        category: 'Writing',
        criteria: { type: 'metric', metric: 'words', threshold: 1 },
        status: 'active',
      });
      await call('POST', '/admin/v1/achievements', {
        key: 'hello',
        name: 'Say hello',
        tags: ['social'],
        category: 'Community',
        criteria: { type: 'api' },
        status: 'active',
      });
      await call('POST', '/admin/v1/achievements', {
        key: 'big-draft',
        name: 'A big draft',
        tags: ['launch'],
        criteria: { type: 'metric', metric: 'words', threshold: 5000 },
      });
      await open('/');
      await page.locator('tr[data-key="hello"]').waitFor();
      const rowKeys = () => page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));

      await choose('Status', 'Active');
      await choose('Tag', 'launch');
      await page.getByRole('button', { name: 'Sort by Completions' }).click();
      await page.getByRole('button', { name: 'Sort by Completions' }).click();
      await expect.poll(() => page.url()).toContain('sort=-completions');
      await expect.poll(rowKeys).toEqual(['first-words', 'prolific-writer']);
      await expectAccessible();
      await screenshot(page, 'list-filtered', { docs: true });

      await page.reload();
      await expect.poll(rowKeys).toEqual(['first-words', 'prolific-writer']);
      expect(await page.getByRole('textbox', { name: 'Status', exact: true }).inputValue()).toBe('Active');
      expect(await page.getByRole('textbox', { name: 'Tag', exact: true }).inputValue()).toBe('launch');

      // Coming back without the query in the address restores it from the last visit.
      await open('/achievements');
      await expect.poll(() => page.url()).toContain('sort=-completions');
      await expect.poll(rowKeys).toEqual(['first-words', 'prolific-writer']);

      await page.getByRole('button', { name: 'Clear filters' }).click();
      await page.getByRole('button', { name: 'Sort by Title' }).click();
      await expect.poll(rowKeys).toEqual(['big-draft', 'first-words', 'prolific-writer', 'hello']);

      // The key columns stay in view while the table scrolls sideways.
      const scroller = page.locator('.mantine-ScrollArea-viewport').first();
      await scroller.evaluate((el) => el.scrollTo({ left: 600 }));
      const title = page.locator('tr[data-key="hello"] td').first();
      const box = await title.boundingBox();
      const tableBox = await scroller.boundingBox();
      expect(Math.abs((box?.x ?? 0) - (tableBox?.x ?? -100))).toBeLessThan(2);
      expect(await page.locator('tr[data-key="hello"] td').nth(1).isVisible()).toBe(true);
      await screenshot(page, 'list-scrolled', { docs: true });
    },
    SLOW,
  );

  const startForm = async (name: string) => {
    await open('/achievements/new');
    await page.getByLabel(/^Name\s*\*?$/).fill(name);
    await page.getByLabel(/^Description\s*\*?$/).fill('A test achievement');
    await page.getByRole('textbox', { name: 'Metric', exact: true }).fill('words');
    await page.keyboard.press('Escape');
  };
  const achievementsNamed = async (name: string) =>
    (await call('GET', `/admin/v1/achievements?q=${encodeURIComponent(name)}`)).body.filter((a: any) => a.name === name);

  it(
    'saves once when "Save" is double-clicked',
    async () => {
      await startForm('Double trouble');
      await page.getByLabel('Threshold').fill('25');
      await page.getByTestId('save-draft').dblclick();
      await page.getByRole('heading', { name: 'Double trouble' }).waitFor();
      expect(await achievementsNamed('Double trouble')).toHaveLength(1);
      await screenshot(page, 'saved-once');
    },
    SLOW,
  );

  it(
    'warns with a toast when the name is already taken, and saves anyway',
    async () => {
      await startForm('Double trouble');
      await page.getByLabel('Threshold').fill('30');
      await page.getByTestId('save-draft').click();
      await page.getByText('Saved, but the name is taken').waitFor();
      expect(await achievementsNamed('Double trouble')).toHaveLength(2);
      await screenshot(page, 'duplicate-name-toast', { docs: true });
    },
    SLOW,
  );

  it(
    'edits an achievement: the form opens filled in and saves the change',
    async () => {
      await open('/achievements/first-words');
      await page.getByRole('link', { name: 'Edit' }).click();
      const name = page.getByLabel(/^Name\s*\*?$/);
      await expect.poll(() => name.inputValue()).toBe('First words');
      await expect.poll(() => page.getByTestId('condition-preview').textContent(), { timeout: 10_000 }).toBe('Write 1 word');
      await name.fill('Very first words');
      await page.getByLabel(/^Description\s*\*?$/).fill('Your first words.');
      await page.getByTestId('save').click();
      await page.getByRole('heading', { name: 'Very first words' }).waitFor();
      expect((await call('GET', '/admin/v1/achievements/first-words')).body).toMatchObject({
        name: 'Very first words',
        description: 'Your first words.',
        status: 'active',
      });
    },
    SLOW,
  );

  it(
    "shows the server's error on the threshold field",
    async () => {
      await startForm('Zero effort');
      const threshold = page.getByLabel('Threshold');
      await threshold.fill('0');
      await page.getByTestId('save-publish').click();
      await expect.poll(() => threshold.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await threshold.getAttribute('aria-describedby')) ?? '';
      const message = await page.locator(`[id="${describedBy.split(' ').find((id) => id.includes('error'))}"]`).textContent();
      expect(message).toMatch(/threshold/i);
      // The live check says the same before anything is saved.
      await expect.poll(() => page.getByTestId('preview-problem').first().textContent(), { timeout: 10_000 }).toBe(message);
      expect(await page.getByRole('heading', { name: 'New achievement' }).isVisible()).toBe(true);
      expect(await achievementsNamed('Zero effort')).toHaveLength(0);
      await expectAccessible();
      await screenshot(page, 'field-error', { docs: true });
    },
    SLOW,
  );

  it(
    'locks and then archives an achievement, saying what each does',
    async () => {
      await open('/achievements/prolific-writer');
      await page.getByRole('button', { name: 'Lock' }).click();
      expect(await page.getByTestId('lock-consequence').textContent()).toContain('3 users who hold it keep it');
      await screenshot(page, 'lock-confirmation');
      await page.getByTestId('confirm-status').click();
      await expect.poll(() => page.getByTestId('status').textContent()).toBe('locked');

      await page.getByRole('button', { name: 'Archive' }).click();
      expect(await page.getByTestId('archive-consequence').textContent()).toContain('cannot be undone');
      await page.getByTestId('confirm-status').click();
      await expect.poll(() => page.getByTestId('status').textContent()).toBe('archived');
      expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
      expect((await call('GET', '/admin/v1/achievements/prolific-writer')).body.status).toBe('archived');
      await expectAccessible();
      await screenshot(page, 'archived');
    },
    SLOW,
  );

  it(
    'looks a user up: achievements, progress, points and activity',
    async () => {
      await call('POST', '/admin/v1/achievements', {
        key: 'novelist',
        name: 'Novelist',
        criteria: { type: 'metric', metric: 'words', threshold: 100 },
        status: 'active',
      });
      await open('/users');
      await page.getByLabel('User id').fill('grace');
      await page.getByRole('button', { name: 'Look up' }).click();
      await page.getByRole('heading', { name: 'Grace' }).waitFor();
      await expect.poll(() => page.getByTestId('points-xp').textContent()).toContain('0 XP');
      await page.getByTestId('progress-novelist').waitFor();
      expect(await page.getByTestId('progress-novelist').textContent()).toContain('12 / 100');
      expect(await page.getByTestId('user-unlocked').textContent()).toBe('1');
      await page.getByRole('link', { name: 'Very first words' }).first().waitFor();
      await expectAccessible();
      await screenshot(page, 'user', { docs: true });
    },
    SLOW,
  );

  it(
    'creates an application key and shows it once; edits community settings',
    async () => {
      await open('/settings/keys');
      await page.getByRole('button', { name: 'Create key' }).click();
      await page.getByLabel('Name').fill('web app');
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      const shown = (await page.getByTestId('new-key').textContent()) ?? '';
      expect(shown).toMatch(/^laurel_app_/);
      expect((await fetch(`${server.url}/v1/achievements`, { headers: { 'x-api-key': shown } })).status).toBe(200);
      await expectAccessible();
      await screenshot(page, 'settings-new-key', { docs: true });
      await page.getByRole('button', { name: 'I have copied it' }).click();
      await page.getByRole('cell', { name: 'web app', exact: true }).waitFor();

      await page.getByRole('tab', { name: 'Community' }).click();
      await page.getByLabel('Strict metrics').check({ force: true });
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved').waitFor();
      expect((await call('GET', '/admin/v1/settings')).body.strictMetrics).toBe(true);
      await expectAccessible();
      await screenshot(page, 'settings-community', { docs: true });

      await page.getByRole('tab', { name: 'Metrics' }).click();
      await page.getByRole('cell', { name: 'Words written', exact: true }).waitFor();
      await expectAccessible();
      await screenshot(page, 'settings-metrics');

      await page.getByRole('tab', { name: 'Widgets' }).click();
      const origins = page.getByRole('textbox', { name: 'Allowed origins' });
      await origins.fill('https://App.Example.com:443/');
      await origins.press('Enter');
      await page.getByRole('button', { name: 'Save origins' }).click();
      await page.getByText('Origins saved').waitFor();
      expect((await call('GET', '/admin/v1/settings')).body.widgetOrigins).toEqual(['https://app.example.com']);
      await origins.fill('ftp://files.example.com');
      await origins.press('Enter');
      await page.getByRole('button', { name: 'Save origins' }).click();
      await page.getByText('must start with http:// or https://').first().waitFor();
      expect((await call('GET', '/admin/v1/settings')).body.widgetOrigins).toEqual(['https://app.example.com']);
      await expectAccessible();
      await screenshot(page, 'settings-widgets', { docs: true });
    },
    SLOW,
  );

  it(
    'builds a team tree, refuses a cycle on the parent field, archives a team',
    async () => {
      await open('/settings/teams');
      await page.getByText('No teams yet').waitFor();
      const newTeam = async (key: string, name: string, parent?: string) => {
        await page.getByRole('button', { name: 'New team' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByLabel('Key').fill(key);
        await dialog.getByLabel('Name').fill(name);
        if (parent) await choose('Parent team', parent, dialog);
        await dialog.getByRole('button', { name: 'Create team' }).click();
        await page.getByTestId(`team-${key}`).waitFor();
        await dialog.waitFor({ state: 'detached' });
      };
      await newTeam('acme', 'Acme Inc.');
      await newTeam('north', 'Sales North', 'Acme Inc.');
      expect(await page.getByTestId('team-path-north').textContent()).toBe('Acme Inc. › Sales North');
      expect((await call('GET', '/admin/v1/teams/north')).body.path).toEqual(['acme', 'north']);
      expect((await call('PUT', '/admin/v1/users/grace/teams', { teams: ['north'] })).status).toBe(200);
      await page.reload();
      await expect.poll(() => page.getByTestId('team-north').getByRole('cell').nth(2).textContent()).toBe('1');

      // Putting the parent under its own child: the server's error lands on the parent field.
      await page.getByRole('button', { name: 'Edit team Acme Inc.' }).click();
      const dialog = page.getByRole('dialog');
      await choose('Parent team', 'Acme Inc. › Sales North', dialog);
      await dialog.getByRole('button', { name: 'Save team' }).click();
      const parent = dialog.getByRole('textbox', { name: 'Parent team', exact: true });
      await expect.poll(() => parent.getAttribute('aria-invalid')).toBe('true');
      expect(await dialog.getByText('a team cannot be its own ancestor').count()).toBe(1);
      expect((await call('GET', '/admin/v1/teams/acme')).body.parent).toBeNull();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });

      // A team with active sub-teams is not archived: the refusal shows in the confirmation.
      await page.getByRole('button', { name: 'Archive team Acme Inc.' }).click();
      await page.getByRole('button', { name: 'Archive team', exact: true }).click();
      await dialog.getByRole('alert').getByText('has active sub-teams').waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });

      await newTeam('south', 'Sales South', 'Acme Inc.');
      await page.getByRole('button', { name: 'Archive team Sales North' }).click();
      expect(await page.getByTestId('archive-consequence').textContent()).toContain('Its one current member leaves it now');
      await page.getByRole('button', { name: 'Archive team', exact: true }).click();
      await page.getByRole('button', { name: 'Restore team Sales North' }).waitFor();
      expect((await call('GET', '/admin/v1/teams/north')).body).toMatchObject({ status: 'archived', memberCount: 0 });
      // A fresh page, without the toasts, and with a member in south, for the docs.
      expect((await call('PUT', '/admin/v1/users/grace/teams', { teams: ['south'] })).status).toBe(200);
      await page.reload();
      await expect.poll(() => page.getByTestId('team-south').getByRole('cell').nth(2).textContent()).toBe('1');
      await expectAccessible();
      await screenshot(page, 'settings-teams', { docs: true });

      await page.getByRole('button', { name: 'Restore team Sales North' }).click();
      await page.getByRole('button', { name: 'Archive team Sales North' }).waitFor();
      // Restored, without its former member.
      expect((await call('GET', '/admin/v1/teams/north')).body).toMatchObject({ status: 'active', memberCount: 0 });
    },
    SLOW,
  );

  it(
    'works at tablet width, and the page reported no errors',
    async () => {
      await page.setViewportSize({ width: 820, height: 1100 });
      await open('/achievements/first-words');
      await page.getByTestId('condition').waitFor();
      await screenshot(page, 'tablet-achievement', { docs: true });
      await open('/achievements/new');
      await page.getByRole('heading', { name: 'New achievement' }).waitFor();
      await expectAccessible();
      await screenshot(page, 'tablet-form');
      expect(problems).toEqual([]);
    },
    SLOW,
  );
});
