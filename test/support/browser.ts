/**
 * Debian's Chromium driven by playwright-core, for the dashboard's and the widgets' end-to-end
 * tests. Never downloads a browser. Without /usr/bin/chromium the tests skip and say why; under
 * CI=true they fail instead (see requirements.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type Requirement, skipUnless } from './requirements.js';

export const CHROMIUM = process.env.LAUREL_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const OUTPUT = path.join(ROOT, 'test-output', 'dashboard');
export const DOCS_IMAGES = path.join(ROOT, 'docs', 'images');
export const DASHBOARD_BUILD = path.join(ROOT, 'dist', 'web', 'dashboard', 'index.html');

/** What every browser suite needs: Chromium itself. */
export const CHROMIUM_REQUIRED: Requirement = { file: CHROMIUM, missing: `${CHROMIUM} is missing (apt-get install -y chromium)` };

export const SKIP_REASON = skipUnless('the dashboard end-to-end tests', [
  CHROMIUM_REQUIRED,
  { file: DASHBOARD_BUILD, missing: `the dashboard is not built (${DASHBOARD_BUILD} is missing: run npm run build)` },
]);

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/** Problems the page itself reports (script errors, console errors), not the browser's notes on HTTP statuses. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // Chromium logs every 4xx answer ("Failed to load resource"); the tests provoke some on purpose.
    if (text.startsWith('Failed to load resource')) return;
    problems.push(`console: ${text}`);
  });
  return problems;
}

/** Saves a screenshot under test-output/dashboard, and into docs/images when UPDATE_DOCS_SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string, options: { docs?: boolean; fullPage?: boolean } = {}): Promise<void> {
  fs.mkdirSync(OUTPUT, { recursive: true });
  const file = path.join(OUTPUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false });
  if (options.docs && process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    fs.mkdirSync(DOCS_IMAGES, { recursive: true });
    fs.copyFileSync(file, path.join(DOCS_IMAGES, `dashboard-${name}.png`));
  }
}

/** Roles a user operates: each must have a name a screen reader can say. */
const CONTROL_ROLES = new Set([
  'button',
  'link',
  'textbox',
  'searchbox',
  'combobox',
  'listbox',
  'checkbox',
  'switch',
  'radio',
  'spinbutton',
  'slider',
  'tab',
  'menuitem',
  'option',
]);

interface AXNode {
  ignored: boolean;
  role?: { value?: string };
  name?: { value?: string };
  backendDOMNodeId?: number;
}

/**
 * What axe-core finds against WCAG 2 A and AA, then what a screen reader would trip on as
 * Chromium's accessibility tree gives it: controls without a name, and ARIA references
 * (aria-labelledby, aria-describedby, aria-controls) to ids that do not exist.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // @axe-core/playwright is typed against playwright's Page; playwright-core's is the same object.
  const axe = await new AxeBuilder({ page: page as unknown as ConstructorParameters<typeof AxeBuilder>[0]['page'] })
    .withTags(['wcag2a', 'wcag2aa'])
    .analyze();
  const violations = axe.violations.map(
    (v) =>
      `axe ${v.id}: ${v.help} — ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 5)
        .join(', ')}`,
  );
  const cdp = await page.context().newCDPSession(page);
  const problems: string[] = [];
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    for (const node of nodes) {
      const role = node.role?.value ?? '';
      if (node.ignored || !CONTROL_ROLES.has(role) || String(node.name?.value ?? '').trim() !== '') continue;
      let html = '';
      if (node.backendDOMNodeId !== undefined) {
        const { outerHTML } = (await cdp.send('DOM.getOuterHTML', { backendNodeId: node.backendDOMNodeId })) as { outerHTML: string };
        html = outerHTML.slice(0, 200);
      }
      problems.push(`${role} without a name: ${html}`);
    }
  } finally {
    await cdp.detach();
  }
  const dangling = await page.evaluate(() =>
    [...document.querySelectorAll('[aria-labelledby], [aria-describedby], [aria-controls]')].flatMap((element) =>
      ['aria-labelledby', 'aria-describedby', 'aria-controls'].flatMap((attribute) =>
        (element.getAttribute(attribute) ?? '')
          .split(/\s+/)
          .filter((id) => id !== '' && !document.getElementById(id))
          .map((id) => `${attribute}="${id}" names no element: ${element.outerHTML.slice(0, 160)}`),
      ),
    ),
  );
  return [...violations, ...problems, ...dangling];
}
