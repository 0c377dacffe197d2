// A project built on a local package of utility macros (test/fixtures/mini_utils, in the style of dbt-utils) runs
// unchanged: packages.yml `local:`, `pkg.macro()` calls, the project's `dispatch:` search order overriding a
// package macro, macros reading the warehouse at execution time (get_columns_in_relation for star and
// union_relations, statement/load_result for get_column_values, run_query, graph), package-scoped vars, the
// package's own model and seed, and its generic tests. Results equal dbt-core's when it is installed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/paths.js';
import { compatTargets, requiredHere, type CompatTarget } from './engines.js';
import { compareTables, dbtComparison, expectOk, runDbt, runTsdbt, stageFixtures, type Table } from './harness.js';

const FIXTURES = ['shop_analytics', 'mini_utils'];
const targets = await compatTargets('shop_analytics');

const rowsOf = (t: Table | undefined) => (t?.rows ?? []).map((r) => Object.fromEntries(JSON.parse(r)) as Record<string, unknown>);

function csv(name: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(join(REPO, 'test/fixtures/shop_analytics/seeds', name), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

describe.each(targets)('shop_analytics + local package mini_utils on $name', (t: CompatTarget) => {
  if (t.unavailable && !requiredHere(t)) {
    it.skip(`skipped: ${t.unavailable}`, () => undefined);
    return;
  }
  const root = { tsdbt: '', dbt: '' };
  const dir = (tool: 'tsdbt' | 'dbt') => join(root[tool], 'shop_analytics');
  const args = (cmd: string[]) => [...cmd, '--target', t.name];

  beforeAll(() => {
    if (t.unavailable) throw new Error(`${t.name} is required here but unavailable: ${t.unavailable}`);
    root.tsdbt = stageFixtures(FIXTURES);
    root.dbt = stageFixtures(FIXTURES);
  });
  afterAll(() => t.cleanup());

  it('builds with the package macros, models, seed and tests', async () => {
    const r = runTsdbt(dir('tsdbt'), args(['build']), t.env('tsdbt', root.tsdbt));
    expectOk(r, 'tsdbt build');
    expect(r.stdout).toMatch(/PASS=30 WARN=0 ERROR=0 SKIP=0 TOTAL=30/);
    const tables = await t.tables('tsdbt', root.tsdbt);

    // The package's model reads the package-scoped var the root project sets (12, not the package default 8).
    expect(rowsOf(tables.get('main_utils.mu_numbers'))).toHaveLength(12);
    // union_relations: every column of both order tables, nulls where a table lacks one, the source named.
    const orders = rowsOf(tables.get('main.stg_orders'));
    expect(orders).toHaveLength(120);
    expect(Object.keys(tables.get('main.stg_orders')!.columns)).toEqual(['source_table', 'order_id', 'customer_id', 'product_id', 'quantity', 'ordered_at', 'coupon_code']);
    expect(orders.filter((o) => o.source_table === 'orders_2023').every((o) => o.coupon_code === null)).toBe(true);
    // star with except and a prefix.
    expect(Object.keys(tables.get('main.stg_products')!.columns)).toEqual(['product_name', 'product_category', 'product_price', 'product_id']);
    // pivot over values read with statement/load_result at run time.
    expect(Object.keys(tables.get('main.customer_category_revenue')!.columns)).toEqual(['customer_key', 'name', 'revenue_books', 'revenue_garden', 'revenue_kitchen', 'revenue_toys', 'orders']);
    // date spine from dbt's own date_spine (a statement asks the warehouse for the number of days).
    expect(rowsOf(tables.get('main.daily_orders'))).toHaveLength(22);
    // run_query at execution time: the top customers by revenue, computed here from the CSVs.
    const price = new Map(csv('products.csv').map((p) => [p.product_id, Number(p.price)]));
    const revenue = new Map<number, number>();
    for (const o of [...csv('orders_2023.csv'), ...csv('orders_2024.csv')]) revenue.set(Number(o.customer_id), (revenue.get(Number(o.customer_id)) ?? 0) + price.get(o.product_id)! * Number(o.quantity));
    const top = [...revenue].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5).map(([id]) => id);
    const ranked = rowsOf(tables.get('main.top_customers')).sort((a, b) => Number(a.rank) - Number(b.rank));
    expect(ranked.map((r) => Number(r.customer_id))).toEqual(top);
    // graph at execution time: the five seeds, the package's included.
    expect(rowsOf(tables.get('main.project_facts'))[0]).toMatchObject({ seed_count: 5, seed_names: 'customers,mu_country_names,orders_2023,orders_2024,products', helper_numbers: 12 });
    // the root project's default__safe_divide wins through `dispatch:` (rounded to 4 decimals).
    const lines = rowsOf(tables.get('main.order_lines'));
    expect(lines.every((l) => (String(l.unit_price).split('.')[1] ?? '').replace(/0+$/, '').length <= 4)).toBe(true);
    expect(lines.some((l) => (String(l.unit_price).split('.')[1] ?? '').replace(/0+$/, '').length > 0)).toBe(true);
  }, 300_000);

  it('compiles without a warehouse: execution-time macros fall back as in dbt parsing', () => {
    const r = runTsdbt(dir('tsdbt'), args(['compile']), t.env('tsdbt', root.tsdbt));
    expectOk(r, 'tsdbt compile');
    const compiled = readFileSync(join(dir('tsdbt'), 'target/compiled/shop_analytics/models/staging/stg_customers.sql'), 'utf8');
    expect(compiled).toContain('*,');
    expect(compiled).toMatch(/md5\(cast\(coalesce\(cast\(id as TEXT\), '_mu_null_'\) \|\| '-' \|\| coalesce/);
  });

  it('selects the package with a named selector', () => {
    const ls = runTsdbt(dir('tsdbt'), args(['ls', '--selector', 'package_and_staging', '--resource-type', 'model', 'seed', '--output', 'name']), t.env('tsdbt', root.tsdbt));
    expectOk(ls, 'tsdbt ls --selector');
    expect(ls.stdout.trim().split('\n').sort()).toEqual(['mu_country_names', 'mu_numbers', 'stg_customers', 'stg_orders', 'stg_products']);
  });

  const dbt = dbtComparison(t.name);
  it.skipIf(dbt.skip)(dbt.title, async () => {
    dbt.check();
    const tsEnv = t.env('tsdbt', root.tsdbt);
    const dbtEnv = t.env('dbt', root.dbt);
    expectOk(runDbt(dir('dbt'), ['deps'], dbtEnv), 'dbt deps');
    for (const round of [1, 2]) {
      expectOk(runTsdbt(dir('tsdbt'), args(['build']), tsEnv), `tsdbt build (${round})`);
      expectOk(runDbt(dir('dbt'), args(['build']), dbtEnv), `dbt build (${round})`);
      const cmp = compareTables(await t.tables('tsdbt', root.tsdbt), await t.tables('dbt', root.dbt));
      if (cmp.typeNotes.length) console.info(`[compat] shop_analytics on ${t.name}: exact types differ (same family):\n  ${cmp.typeNotes.join('\n  ')}`);
      expect(cmp.problems).toEqual([]);
      expect(cmp.tables).toBe(15);
    }
  }, 300_000);
});
