// The docs site of the example project in a real browser, opened from file:// with every network request blocked:
// search, a model page (columns, types, tests, upstream, SQL), the lineage graph (nodes drawn, click opens a node,
// depth controls) and column lineage. Screenshots land in test-output/docs/.
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { REPO } from '../helpers/paths.js';
import { tsdbt } from '../helpers/project.js';
import { goto, launchChromium, openPage, SHOTS } from './browser.js';

let dir: string;
let site: string;
let browser: Browser;
let page: Page;
let network: string[];
let errors: string[];

describe('docs site of the example project', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsdbt-docs-'));
    cpSync(join(REPO, 'project'), dir, { recursive: true, filter: (src) => !src.includes('/target') && !src.endsWith('.duckdb') });
    const build = tsdbt(['build', '--project-dir', dir]);
    expect(build.code, build.stderr).toBe(0);
    const gen = tsdbt(['docs', 'generate', '--project-dir', dir]);
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    expect(gen.stdout).toMatch(/Catalog: \d+ relations introspected/);
    site = pathToFileURL(join(dir, 'target/index.html')).href;
    browser = await launchChromium();
    ({ page, network, errors } = await openPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('writes catalog.json with column types and row counts from DuckDB', () => {
    const catalog = JSON.parse(readFileSync(join(dir, 'target/catalog.json'), 'utf8'));
    const daily = catalog.nodes['model.user_events.daily_revenue'];
    expect(daily.metadata.type).toBe('BASE TABLE');
    expect(Object.keys(daily.columns)).toEqual(['order_date', 'orders', 'revenue', 'avg_order_value', 'cumulative_revenue']);
    expect(daily.columns.order_date.type).toBe('DATE');
    expect(daily.stats.row_count.value).toBeGreaterThan(0);
    expect(catalog.sources['source.user_events.raw.users'].columns.user_id.type).toBe('INTEGER');
    expect(catalog.nodes['model.user_events.stg_users'].metadata.type).toBe('VIEW');
  });

  it('finds nodes by name, tag, description and column while typing, and opens the one picked', async () => {
    await goto(page, site);
    await expect(page.locator('[data-testid=overview] h1').textContent()).resolves.toBe('user_events');
    await page.locator('[data-testid=search-input]').pressSequentially('daily_rev');
    const first = page.locator('[data-testid=search-dropdown] .hit').first();
    await expect(first.getAttribute('data-node')).resolves.toBe('model.user_events.daily_revenue');
    // Columns and tags are searched too.
    await page.locator('[data-testid=search-input]').fill('column:cumulative_revenue');
    await expect(page.locator('[data-testid=search-dropdown] .hit[data-node]').count()).resolves.toBe(1);
    const found = () => page.locator('[data-testid=search-dropdown] .hit[data-node]').evaluateAll((hs) => hs.map((h) => h.getAttribute('data-node')));
    await page.locator('[data-testid=search-input]').fill('tag:finance type:model');
    await expect(found()).resolves.toEqual(expect.arrayContaining(['model.user_events.daily_revenue', 'model.user_events.monthly_revenue', 'model.user_events.daily_category_revenue']));
    expect(await found()).toHaveLength(3);
    await page.locator('[data-testid=search-input]').fill('engaged');
    await expect(found()).resolves.toContain('model.user_events.user_event_summary');
    await page.locator('[data-testid=search-input]').fill('daily_rev');
    await page.locator('[data-testid=search-dropdown] .hit').first().click();
    await page.waitForSelector('[data-testid=node-page][data-node="model.user_events.daily_revenue"]');
  });

  it('shows a model with its columns, types, descriptions, tests, upstream models, status and SQL', async () => {
    await goto(page, `${site}#/node/model.user_events.daily_revenue`);
    await expect(page.locator('[data-testid=node-title]').textContent()).resolves.toBe('daily_revenue');
    const rows = page.locator('[data-testid=columns-table] tbody tr');
    await expect(rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-column')))).resolves.toEqual(['order_date', 'orders', 'revenue', 'avg_order_value', 'cumulative_revenue']);
    const orderDate = page.locator('[data-testid=columns-table] tr[data-column=order_date]');
    await expect(orderDate.locator('.col-type').textContent()).resolves.toBe('DATE');
    await expect(orderDate.textContent()).resolves.toContain('Calendar day');
    await expect(page.locator('[data-testid=columns-table] tr[data-column=cumulative_revenue] .col-lineage').textContent()).resolves.toBe('int_purchases.amount, int_purchases.order_date');
    await expect(page.locator('[data-testid=upstream-list] a').allTextContents()).resolves.toEqual(['int_purchases']);
    await expect(page.locator('.title-row .badge.status').textContent()).resolves.toBe('success');
    await expect(page.locator('[data-testid=code] pre[data-pane=compiled] .tk-kw').count()).resolves.toBeGreaterThan(5);
    await expect(page.locator('[data-testid=code] pre[data-pane=compiled]').textContent()).resolves.toContain('"user_events"');
    await page.screenshot({ path: join(SHOTS, 'model-page.png'), fullPage: true });
  });

  it('lists tests with their last status on the model they test', async () => {
    await goto(page, `${site}#/node/model.user_events.stg_users`);
    const pills = page.locator('[data-testid=columns-table] tr[data-column=user_id] .test-pill');
    await expect(pills.allTextContents()).resolves.toEqual(expect.arrayContaining(['unique pass', 'not_null pass']));
  });

  it('renders {{ doc() }} blocks from the project .md files as markdown', async () => {
    await goto(page, `${site}#/node/source.user_events.raw.user_events`);
    const cell = page.locator('[data-testid=columns-table] tr[data-column=event_type] td.md');
    await expect(cell.textContent()).resolves.toContain('What the user did, as the producer spelled it.');
    await expect(cell.locator('code').first().textContent()).resolves.toBe('click');
  });

  it('draws the lineage graph; a click opens the node and the depth controls narrow it', async () => {
    await goto(page, `${site}#/lineage/model.user_events.int_purchases/all/all`);
    const nodes = page.locator('[data-testid=lineage-svg] [data-testid=graph-node]');
    await expect(nodes.count()).resolves.toBe(15);
    await expect(page.locator('[data-testid=lineage-svg] path.edge').count()).resolves.toBeGreaterThanOrEqual(14);
    await page.screenshot({ path: join(SHOTS, 'lineage.png') });
    await page.selectOption('[data-testid=lineage-controls] select[name=up]', '1');
    await page.waitForFunction(() => location.hash.endsWith('/1/all'));
    await expect(nodes.count()).resolves.toBe(6);
    await page.locator('[data-testid=graph-node][data-label=daily_revenue]').click();
    await page.waitForSelector('[data-testid=node-page][data-node="model.user_events.daily_revenue"]');
  });

  it('traces a column through models, and says why when its upstream is unknown', async () => {
    await goto(page, `${site}#/column/model.user_events.daily_revenue/cumulative_revenue`);
    const labels = await page.locator('[data-testid=graph-node]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-label')));
    expect(labels).toEqual(expect.arrayContaining(['daily_revenue.cumulative_revenue', 'int_purchases.amount', 'int_purchases.order_date', 'raw.user_events.amount', 'user_events.event_time']));
    await page.screenshot({ path: join(SHOTS, 'column-lineage.png') });
    await goto(page, `${site}#/column/snapshot.user_events.users_snapshot/dbt_valid_to`);
    await expect(page.locator('[data-testid=unknown-reason]').textContent()).resolves.toContain('snapshot bookkeeping column');
  });

  it('made no network request and raised no script error', () => {
    expect(network).toEqual([]);
    expect(errors).toEqual([]);
    expect(existsSync(join(SHOTS, 'model-page.png'))).toBe(true);
  });
});
