// A real Chromium for the docs site tests: Debian's /usr/bin/chromium driven by playwright-core (never a browser
// downloaded by `npx playwright install`). Fails with the fix when Chromium is missing.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from '../helpers/paths.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = join(REPO, 'test-output/docs');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}; install it with \`apt-get install -y chromium\` (scripts/test-all.sh does in CI)`);
  }
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/** A page that records every request that is not a local file, and every script error. */
export async function openPage(browser: Browser): Promise<{ page: Page; network: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const network: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('http://127.0.0.1')) return route.continue();
    network.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return { page, network, errors };
}

/** Opens a hash route of the site and waits for the app to have rendered it. */
export async function goto(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('html[data-ready]');
}
