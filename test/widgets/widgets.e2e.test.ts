/**
 * The member widgets in Chromium, embedded in a host page served from another origin than Laurel:
 * every component renders for a seeded member, the celebration pop-up appears for a live unlock and
 * never for a backfilled one, tokens and origins are enforced, and axe-core finds nothing serious.
 * Screenshots of each component in light and dark go to test-output/widgets, and into docs/images
 * with UPDATE_DOCS_SCREENSHOTS=1.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clock.js';
import { CHROMIUM_REQUIRED, DOCS_IMAGES, launch, ROOT, watchConsole } from '../support/browser.js';
import { ADMIN_KEY, startLaurel, type TestLaurel } from '../support/laurel.js';
import { skipUnless } from '../support/requirements.js';

const BUNDLE = path.join(ROOT, 'dist', 'web', 'widgets', 'laurel.js');
const OUTPUT = path.join(ROOT, 'test-output', 'widgets');
const SLOW = 120_000;

const SKIP_REASON = skipUnless('the widget end-to-end tests', [
  CHROMIUM_REQUIRED,
  { file: BUNDLE, missing: `the widgets are not built (${BUNDLE} is missing: run npm run build)` },
]);

/** A web server for host pages: each test registers the HTML it wants at a path. */
interface Host {
  origin: string;
  pages: Map<string, string>;
  close(): Promise<void>;
}

async function startHost(): Promise<Host> {
  const pages = new Map<string, string>();
  const server = http.createServer((request, response) => {
    const html = pages.get((request.url ?? '/').split('?')[0] as string);
    response.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // "localhost" is another origin than Laurel's "127.0.0.1", even apart from the port.
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return { origin, pages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const attribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** A host page in the given language and theme holding the given widget markup. */
function hostPage(laurelUrl: string, body: string, options: { theme?: 'light' | 'dark'; lang?: string } = {}): string {
  const dark = options.theme === 'dark';
  return `<!doctype html>
<html lang="${options.lang ?? 'en'}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host app</title>
<script type="module" src="${laurelUrl}/widgets/laurel.js"></script>
<style>body { margin: 16px; font-family: system-ui, sans-serif; background: ${dark ? '#101418' : '#ffffff'}; color: ${dark ? '#f1f3f5' : '#1a1b1e'}; }</style>
</head>
<body><main><h1>My profile</h1>${body}</main></body>
</html>`;
}

describe.skipIf(SKIP_REASON !== null)('member widgets embedded in another origin', () => {
  let t: TestLaurel;
  let laurelUrl: string;
  let host: Host;
  let stranger: Host;
  let browser: Browser;
  let token: string;

  const mint = async (user: string, body: Record<string, unknown> = {}) => {
    const reply = await t.api('POST', `/v1/users/${user}/widget-token`, body);
    expect(reply.status).toBe(200);
    return reply.body.token as string;
  };
  const event = (metric: string, user: string, value: number, timestamp?: string) =>
    t.api('POST', `/v1/metrics/${metric}/event`, {
      user: { id: user, name: user === 'ada' ? 'Ada Lovelace' : user },
      value,
      ...(timestamp ? { timestamp } : {}),
    });
  const widget = (tag: string, attributes = '', theme: 'light' | 'dark' = 'light') =>
    `<${tag} base-url="${laurelUrl}" token="${attribute(token)}" theme="${theme}" ${attributes}></${tag}>`;

  const newPage = async (context?: BrowserContext) => {
    const page = await (context ?? (await browser.newContext({ viewport: { width: 900, height: 900 }, deviceScaleFactor: 1 }))).newPage();
    page.setDefaultTimeout(10_000);
    return page;
  };
  /** The text a member sees in a component, its shadow root included. */
  const textOf = (page: Page, selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((element) => {
        const collect = (node: Node): string =>
          node instanceof Element && node.shadowRoot
            ? collect(node.shadowRoot)
            : node.nodeType === Node.TEXT_NODE
              ? (node.textContent ?? '')
              : [...node.childNodes].map(collect).join(' ');
        return collect(element).replace(/\s+/g, ' ');
      });
  /** CSS animations running in the pop-up. */
  const animations = (page: Page) =>
    page.locator('laurel-celebration').evaluate((element) => element.shadowRoot?.getAnimations().length ?? 0);
  const ready = (page: Page, tag: string) => page.waitForSelector(`${tag}[data-state="ready"]`, { timeout: 10_000 });
  const seriousViolations = async (page: Page, selector: string) => {
    const result = await new AxeBuilder({ page: page as unknown as ConstructorParameters<typeof AxeBuilder>[0]['page'] })
      .include(selector)
      .withTags(['wcag2a', 'wcag2aa'])
      .analyze();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id}: ${v.help} — ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
      );
  };
  const shoot = async (page: Page, selector: string, name: string) => {
    fs.mkdirSync(OUTPUT, { recursive: true });
    const file = path.join(OUTPUT, `${name}.png`);
    await page.locator(selector).first().screenshot({ path: file });
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
      fs.mkdirSync(DOCS_IMAGES, { recursive: true });
      fs.copyFileSync(file, path.join(DOCS_IMAGES, `widget-${name}.png`));
    }
  };

  beforeAll(async () => {
    t = await startLaurel({ clock: new ManualClock(Date.now()) });
    laurelUrl = await t.laurel.app.listen({ port: 0, host: '127.0.0.1' });
    host = await startHost();
    stranger = await startHost();
    expect((await t.admin('PATCH', '/admin/v1/settings', { widgetOrigins: [host.origin] })).status).toBe(200);

    await t.admin('POST', '/admin/v1/metrics', { key: 'words', name: 'Words written', unit: 'words', unitSingular: 'word', verb: 'Write' });
    await t.admin('POST', '/admin/v1/points-systems', {
      key: 'xp',
      name: 'XP',
      levels: [
        { key: 'l1', name: 'Novice', points: 0 },
        { key: 'l2', name: 'Scribe', points: 100 },
        { key: 'l3', name: 'Author', points: 300 },
      ],
    });
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'writer',
      name: 'Writer',
      category: 'Writing',
      featured: true,
      celebration: { animation: 'sparkles' },
      criteria: { type: 'metric', metric: 'words', measure: 'sum' },
      tiers: [
        { key: 'bronze', name: 'Bronze', threshold: 100, rewards: [{ type: 'points', system: 'xp', amount: 50 }] },
        { key: 'silver', name: 'Silver', threshold: 500, rewards: [{ type: 'points', system: 'xp', amount: 100 }] },
        { key: 'gold', name: 'Gold', threshold: 1000, rewards: [{ type: 'points', system: 'xp', amount: 200 }] },
      ],
      status: 'active',
    });
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'novelist',
      name: 'Novelist',
      category: 'Writing',
      criteria: { type: 'metric', metric: 'words', threshold: 50000 },
      status: 'active',
    });
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'spring-sprint',
      name: 'Spring sprint',
      category: 'Events',
      criteria: {
        type: 'metric',
        metric: 'words',
        threshold: 10,
        window: { start: new Date(Date.now() - 20 * 86_400_000).toISOString(), end: new Date(Date.now() - 10 * 86_400_000).toISOString() },
      },
      status: 'active',
    });
    await t.admin('POST', '/admin/v1/streaks', { key: 'daily', name: 'Daily writing', frequency: 'daily', metrics: [{ metric: 'words' }] });
    await t.admin('POST', '/admin/v1/leaderboards', {
      key: 'top',
      name: 'Top writers',
      rankBy: 'metric',
      metric: 'words',
      status: 'active',
    });

    for (let day = 14; day >= 1; day -= 1) {
      if (day === 6) continue;
      await event('words', 'ada', 40, new Date(Date.now() - day * 86_400_000).toISOString());
    }
    // Today's words: the leaderboard counts from its creation, and the streak includes today.
    await event('words', 'ada', 10);
    for (const [user, words] of [
      ['grace', 900],
      ['alan', 300],
      ['edsger', 700],
      ['barbara', 100],
    ] as const)
      await event('words', user, words);
    // Everything above happened before the member opened the page: no pop-up should replay it.
    const seen = await t.api('GET', '/v1/users/ada/celebrations');
    await t.api('POST', '/v1/users/ada/celebrations/ack', { ids: seen.body.celebrations.map((c: { id: string }) => c.id) });

    token = await mint('ada');
    browser = await launch();
  }, SLOW);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await stranger?.close();
    await t?.close();
  });

  const COMPONENTS: Array<[string, string]> = [
    ['laurel-achievements', ''],
    ['laurel-achievement', 'key="writer"'],
    ['laurel-points', 'system="xp"'],
    ['laurel-streak', ''],
    ['laurel-leaderboard', 'key="top"'],
  ];

  it(
    'every component renders for the member, in light and dark, without console errors or serious accessibility violations',
    async () => {
      for (const theme of ['light', 'dark'] as const) {
        host.pages.set(`/all-${theme}`, hostPage(laurelUrl, COMPONENTS.map(([tag, a]) => widget(tag, a, theme)).join('\n'), { theme }));
        const page = await newPage();
        const problems = watchConsole(page);
        await page.goto(`${host.origin}/all-${theme}`);
        for (const [tag] of COMPONENTS) await ready(page, tag);

        await expect.poll(() => textOf(page, 'laurel-achievements')).toContain('Writer');
        const achievements = await textOf(page, 'laurel-achievements');
        expect(achievements).toContain('Novelist');
        expect(achievements).toContain('Spring sprint');
        expect(await textOf(page, 'laurel-achievement')).toContain('Gold');
        expect(await textOf(page, 'laurel-points')).toContain('Scribe');
        expect(await textOf(page, 'laurel-leaderboard')).toContain('Ada Lovelace');
        expect(await textOf(page, 'laurel-streak')).toMatch(/\b6\b/);

        for (const [tag] of COMPONENTS) {
          expect(await seriousViolations(page, tag), `${tag} (${theme})`).toEqual([]);
          await shoot(page, tag, `${tag.replace('laurel-', '')}-${theme}`);
        }
        expect(problems).toEqual([]);
        await page.context().close();
      }
    },
    SLOW,
  );

  it(
    'fits a 320 px wide screen without scrolling sideways',
    async () => {
      host.pages.set('/narrow', hostPage(laurelUrl, COMPONENTS.map(([tag, a]) => widget(tag, a)).join('\n')));
      const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
      const page = await newPage(context);
      await page.goto(`${host.origin}/narrow`);
      for (const [tag] of COMPONENTS) await ready(page, tag);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      await context.close();
    },
    SLOW,
  );

  it(
    'a live unlock pops up within 2 s, is acknowledged, and does not come back after a reload',
    async () => {
      host.pages.set('/celebrate', hostPage(laurelUrl, `<button id="before">Before</button>${widget('laurel-celebration')}`));
      // This member asked for less motion: the pop-up shows without its animation.
      const page = await newPage(await browser.newContext({ viewport: { width: 900, height: 900 }, reducedMotion: 'reduce' }));
      const problems = watchConsole(page);
      await page.goto(`${host.origin}/celebrate`);
      await page.waitForSelector('laurel-celebration[data-state="ready"]', { state: 'attached' });
      await page.focus('#before');

      const sent = Date.now();
      expect((await event('words', 'ada', 500)).status).toBe(201);
      const dialog = page.locator('laurel-celebration [role="dialog"]');
      await dialog.waitFor({ state: 'visible', timeout: 2_000 });
      expect(Date.now() - sent).toBeLessThan(2_000);
      expect(await textOf(page, 'laurel-celebration')).toContain('Gold');
      expect(await dialog.getAttribute('data-animation')).toBe('sparkles');
      expect(await animations(page)).toBe(0);
      expect(await dialog.getAttribute('aria-labelledby')).toBeTruthy();
      expect(await seriousViolations(page, 'laurel-celebration')).toEqual([]);
      await shoot(page, 'laurel-celebration [role="dialog"]', 'celebration-light');

      // Gold and the level it pays for arrive together: they queue, one dialog at a time.
      const shown: string[] = [];
      while ((await dialog.count()) > 0) {
        expect(await dialog.count()).toBe(1);
        shown.push(await textOf(page, 'laurel-celebration'));
        await page.keyboard.press('Escape');
        await page.waitForTimeout(400);
      }
      expect(shown).toHaveLength(2);
      expect(shown[0]).toContain('Writer');
      expect(shown[1]).toContain('Author');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('before');
      await expect.poll(async () => (await t.api('GET', '/v1/users/ada/celebrations')).body.celebrations.length).toBe(0);

      await page.reload();
      await page.waitForSelector('laurel-celebration[data-state="ready"]', { state: 'attached' });
      await page.waitForTimeout(2_500);
      expect(await dialog.count()).toBe(0);
      expect(problems).toEqual([]);
      await page.context().close();
    },
    SLOW,
  );

  it(
    'the pop-up speaks the page language and follows a dark theme',
    async () => {
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'profile',
        name: 'Complete your profile',
        criteria: { type: 'api' },
        celebration: { message: 'Willkommen an Bord!', animation: 'confetti', durationSeconds: 30 },
        status: 'active',
      });
      host.pages.set(
        '/celebrate-de',
        hostPage(laurelUrl, widget('laurel-celebration', 'lang="de"', 'dark'), { theme: 'dark', lang: 'de' }),
      );
      const page = await newPage();
      const problems = watchConsole(page);
      await page.goto(`${host.origin}/celebrate-de`);
      await page.waitForSelector('laurel-celebration[data-state="ready"]', { state: 'attached' });
      expect((await t.api('POST', '/v1/achievements/profile/complete', { user: { id: 'ada' } })).status).toBe(201);
      const dialog = page.locator('laurel-celebration [role="dialog"]');
      await dialog.waitFor({ state: 'visible', timeout: 2_000 });
      const text = await textOf(page, 'laurel-celebration');
      expect(text).toContain('Complete your profile');
      expect(text).toContain('Willkommen an Bord!');
      expect(await animations(page)).toBeGreaterThan(0);
      expect(text).toContain('Teilen');
      expect(await seriousViolations(page, 'laurel-celebration')).toEqual([]);
      await shoot(page, 'laurel-celebration [role="dialog"]', 'celebration-dark');
      await page.getByRole('button', { name: 'Schließen' }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      expect(problems).toEqual([]);
      await page.context().close();
    },
    SLOW,
  );

  it(
    'the demo page mints a token with the admin key and shows every widget',
    async () => {
      const page = await newPage(await browser.newContext({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 1 }));
      const problems = watchConsole(page);
      await page.goto(`${laurelUrl}/widgets/demo`);
      await page.getByLabel('API key (admin or application)').fill(ADMIN_KEY);
      await page.getByLabel('Member (user id)').fill('ada');
      await page.getByLabel('Points system key').fill('xp');
      await page.getByRole('button', { name: 'Show widgets' }).click();
      for (const tag of ['laurel-achievements', 'laurel-points', 'laurel-streak', 'laurel-leaderboard']) await ready(page, tag);
      expect(await textOf(page, 'laurel-points')).toContain('Author');
      expect(await seriousViolations(page, 'body')).toEqual([]);
      fs.mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: path.join(OUTPUT, 'demo.png'), fullPage: true });
      if (process.env.UPDATE_DOCS_SCREENSHOTS === '1')
        fs.copyFileSync(path.join(OUTPUT, 'demo.png'), path.join(DOCS_IMAGES, 'widget-demo.png'));
      expect(problems).toEqual([]);
      await page.context().close();
    },
    SLOW,
  );

  it(
    'a backfilled unlock never pops up',
    async () => {
      host.pages.set('/backfill', hostPage(laurelUrl, widget('laurel-celebration')));
      const page = await newPage();
      await page.goto(`${host.origin}/backfill`);
      await page.waitForSelector('laurel-celebration[data-state="ready"]', { state: 'attached' });
      const created = await t.admin('POST', '/admin/v1/achievements', {
        key: 'wordsmith',
        name: 'Wordsmith',
        criteria: { type: 'metric', metric: 'words', threshold: 200 },
        status: 'active',
      });
      expect(created.status).toBe(201);
      await expect
        .poll(async () => (await t.api('GET', '/v1/users/ada/achievements')).body.map((a: { key: string }) => a.key))
        .toContain('wordsmith');
      await page.waitForTimeout(2_500);
      expect(await page.locator('laurel-celebration [role="dialog"]').count()).toBe(0);
      await page.context().close();
    },
    SLOW,
  );

  it(
    'a token reads only its own member, and an expired token is refused',
    async () => {
      host.pages.set('/blank', hostPage(laurelUrl, ''));
      const page = await newPage();
      await page.goto(`${host.origin}/blank`);
      const read = (url: string, bearer: string) =>
        page.evaluate(
          async ([u, b]) => {
            const response = await fetch(u as string, { headers: { authorization: `Bearer ${b}` } });
            return { status: response.status, body: await response.json() };
          },
          [url, bearer],
        );
      expect((await read(`${laurelUrl}/v1/users/ada/achievements`, token)).status).toBe(200);
      const other = await read(`${laurelUrl}/v1/users/grace/achievements`, token);
      expect(other.status).toBe(403);
      expect(other.body.code).toBe('widget_token_user');

      const shortLived = await mint('ada', { expiresIn: 60 });
      t.clock.advance(61_000);
      const expired = await read(`${laurelUrl}/v1/users/ada/achievements`, shortLived);
      expect(expired.status).toBe(401);
      expect(expired.body.code).toBe('widget_token_expired');

      // The component says so and tells the host page, which can mint a new token.
      const counter =
        '<script>window.expired = 0; document.addEventListener("laurel-token-expired", () => { window.expired += 1; });</script>';
      host.pages.set(
        '/expired',
        hostPage(laurelUrl, `${counter}<laurel-points base-url="${laurelUrl}" token="${shortLived}" system="xp"></laurel-points>`),
      );
      await page.goto(`${host.origin}/expired`);
      await page.waitForSelector('laurel-points[data-state="error"][data-error="widget_token_expired"]');
      const announced = () => page.evaluate(() => (window as unknown as { expired: number }).expired);
      expect(await announced()).toBe(1);

      // Rotating the secret refuses every earlier token; the widget asks the page for a new one too.
      expect((await t.admin('POST', '/admin/v1/widget-secret/rotate', {})).status).toBe(200);
      host.pages.set('/rotated', hostPage(laurelUrl, `${counter}${widget('laurel-points', 'system="xp"')}`));
      await page.goto(`${host.origin}/rotated`);
      await page.waitForSelector('laurel-points[data-state="error"]');
      expect(await announced()).toBe(1);
      token = await mint('ada');
      await page.evaluate((fresh) => document.querySelector('laurel-points')?.setAttribute('token', fresh), token);
      await page.waitForSelector('laurel-points[data-state="ready"]');
      await page.context().close();
    },
    SLOW,
  );

  it(
    'a page whose origin is not in widgetOrigins is refused by CORS',
    async () => {
      stranger.pages.set('/all', hostPage(laurelUrl, widget('laurel-points', 'system="xp"')));
      const page = await newPage();
      await page.goto(`${stranger.origin}/all`);
      await page.waitForSelector('laurel-points[data-state="error"]');
      const outcome = await page.evaluate(async (url) => {
        try {
          await fetch(url, { headers: { authorization: 'Bearer x' } });
          return 'read';
        } catch (error) {
          return String(error);
        }
      }, `${laurelUrl}/v1/users/ada/achievements`);
      expect(outcome).toMatch(/TypeError/);
      await page.context().close();
    },
    SLOW,
  );
});
