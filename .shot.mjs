import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
const base = 'file://' + process.argv[2];
for (const [hash, out] of [['', 'overview'], ['#/node/model.user_events.int_purchases', 'model'], ['#/lineage/model.user_events.int_purchases/all/all', 'lineage'], ['#/column/model.user_events.daily_revenue/cumulative_revenue', 'column']]) {
  await page.goto(base + hash);
  await page.waitForSelector('[data-ready]');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `/tmp/shot-${out}.png`, fullPage: out === 'model' });
}
console.log('errors', errors);
await browser.close();
