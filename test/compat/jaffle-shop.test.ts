// An existing dbt project runs unchanged: the jaffle-shop-style fixture (seeds, staging views, mart tables, an
// incremental model, a contract, docs blocks, dispatch, data tests, selectors) seeds, runs and tests with the
// real tsdbt CLI on DuckDB and PostgreSQL, its marts hold what the seed CSVs imply, and every table equals what
// dbt-core builds from the same files (when dbt-core is installed; see harness.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/paths.js';
import { compatTargets, requiredHere, type CompatTarget } from './engines.js';
import { compareTables, dbtComparison, expectOk, runDbt, runTsdbt, stageFixtures } from './harness.js';

const FIXTURE = 'jaffle_shop';
const targets = await compatTargets(FIXTURE);

function csv(name: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(join(REPO, 'test/fixtures/jaffle_shop/seeds', name), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

describe.each(targets)('jaffle_shop fixture on $name', (t: CompatTarget) => {
  if (t.unavailable && !requiredHere(t)) {
    it.skip(`skipped: ${t.unavailable}`, () => undefined);
    return;
  }
  const root = { tsdbt: '', dbt: '' };
  const dir = (tool: 'tsdbt' | 'dbt') => join(root[tool], FIXTURE);
  const args = (cmd: string[]) => [...cmd, '--target', t.name];

  beforeAll(() => {
    if (t.unavailable) throw new Error(`${t.name} is required here but unavailable: ${t.unavailable}`);
    root.tsdbt = stageFixtures([FIXTURE]);
    root.dbt = stageFixtures([FIXTURE]);
  });
  afterAll(() => t.cleanup());

  it('seeds, runs and tests unchanged, with marts matching the seed data', async () => {
    const env = t.env('tsdbt', root.tsdbt);
    expectOk(runTsdbt(dir('tsdbt'), args(['seed']), env), 'tsdbt seed');
    expectOk(runTsdbt(dir('tsdbt'), args(['run']), env), 'tsdbt run');
    const tested = runTsdbt(dir('tsdbt'), args(['test']), env);
    expectOk(tested, 'tsdbt test');
    expect(tested.stdout).toMatch(/PASS=17 WARN=0 ERROR=0 SKIP=0 TOTAL=17/);

    const tables = await t.tables('tsdbt', root.tsdbt);
    const paid = csv('raw_payments.csv').reduce((s, p) => s + Number(p.amount), 0) / 100;
    const orders = tables.get('main.orders')!;
    expect(orders.rows).toHaveLength(180);
    const total = orders.rows.map((r) => Number(Object.fromEntries(JSON.parse(r)).amount)).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(paid, 2);
    const returned = new Set(csv('raw_orders.csv').filter((o) => /return/.test(o.status)).map((o) => o.id));
    const clv = new Map<string, number>();
    const orderOwner = new Map(csv('raw_orders.csv').map((o) => [o.id, o.user_id]));
    for (const p of csv('raw_payments.csv')) if (!returned.has(p.order_id)) clv.set(orderOwner.get(p.order_id)!, (clv.get(orderOwner.get(p.order_id)!) ?? 0) + Number(p.amount) / 100);
    const customers = tables.get('main.customers')!.rows.map((r) => Object.fromEntries(JSON.parse(r)) as Record<string, unknown>);
    expect(customers).toHaveLength(60);
    for (const c of customers) {
      const want = clv.get(String(c.customer_id));
      if (want === undefined) continue;
      expect(Number(c.customer_lifetime_value)).toBeCloseTo(want, 2);
    }
    expect(Object.keys(tables.get('main.customers')!.columns)).toEqual(['customer_id', 'first_name', 'last_name', 'first_order', 'most_recent_order', 'number_of_orders', 'days_active', 'customer_lifetime_value']);
  }, 300_000);

  it('selects with named selectors from selectors.yml', () => {
    const env = t.env('tsdbt', root.tsdbt);
    const ls = runTsdbt(dir('tsdbt'), args(['ls', '--selector', 'staging', '--resource-type', 'model', '--output', 'name']), env);
    expectOk(ls, 'tsdbt ls --selector staging');
    expect(ls.stdout.trim().split('\n').sort(), ls.stderr).toEqual(['stg_customers', 'stg_orders', 'stg_payments']);
    const up = runTsdbt(dir('tsdbt'), args(['ls', '--selector', 'customers_and_upstream', '--resource-type', 'model', '--output', 'name']), env);
    expect(up.stdout.trim().split('\n').sort(), up.stderr).toEqual(['customers', 'orders', 'stg_customers', 'stg_orders', 'stg_payments']);
    const bad = runTsdbt(dir('tsdbt'), args(['ls', '--selector', 'stagin']), env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("no selector named 'stagin'");
    expect(bad.stderr).toContain("did you mean 'staging'?");
  });

  it('fails a model whose columns break its enforced contract, before the table is replaced', async () => {
    const env = t.env('tsdbt', root.tsdbt);
    const model = join(dir('tsdbt'), 'models/marts/customers.sql');
    const original = readFileSync(model, 'utf8');
    writeFileSync(model, original.replace('cast(coalesce(customer_orders.number_of_orders, 0) as integer)', "cast(coalesce(customer_orders.number_of_orders, 0) as varchar)"));
    try {
      const r = runTsdbt(dir('tsdbt'), args(['run', '-s', 'customers']), env);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('enforced contract that failed');
      expect(r.stdout).toMatch(/\| number_of_orders\s+\| \w+.*\| integer\s+\| data type mismatch \|/);
      expect((await t.tables('tsdbt', root.tsdbt)).get('main.customers')!.rows).toHaveLength(60);
    } finally {
      writeFileSync(model, original);
    }
  }, 120_000);

  const dbt = dbtComparison(t.name);
  it.skipIf(dbt.skip)(dbt.title, async () => {
    dbt.check();
    const tsEnv = t.env('tsdbt', root.tsdbt);
    const dbtEnv = t.env('dbt', root.dbt);
    for (const round of [1, 2]) {
      expectOk(runTsdbt(dir('tsdbt'), args(['build']), tsEnv), `tsdbt build (${round})`);
      expectOk(runDbt(dir('dbt'), args(['build']), dbtEnv), `dbt build (${round})`);
      const cmp = compareTables(await t.tables('tsdbt', root.tsdbt), await t.tables('dbt', root.dbt));
      if (cmp.typeNotes.length) console.info(`[compat] ${FIXTURE} on ${t.name}: exact types differ (same family):\n  ${cmp.typeNotes.join('\n  ')}`);
      expect(cmp.problems).toEqual([]);
      expect(cmp.tables).toBe(9);
    }
  }, 300_000);
});
