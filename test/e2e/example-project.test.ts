// The example project built end to end on embedded DuckDB by the real CLI, its gold marts compared with values
// computed independently from the seed CSVs (example-expectations.ts shares no code with tsdbt).
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/paths.js';
import { tsdbt } from '../helpers/project.js';
import { queryDuckdb } from '../helpers/duckdb.js';
import { computeExpectedMarts, MART_NAMES, MART_ORDER_BY, toComparable } from './example-expectations.js';

let dir: string;
let db: string;

function copyProject(): string {
  const d = mkdtempSync(join(tmpdir(), 'tsdbt-example-'));
  cpSync(join(REPO, 'project'), d, { recursive: true, filter: (src) => !src.includes('/target') && !src.endsWith('.duckdb') });
  return d;
}

/** Actual rows, each value converted to the representation of the expected row at the same position. */
async function martRows(mart: string, expected: readonly Record<string, unknown>[]) {
  const order = MART_ORDER_BY[mart as keyof typeof MART_ORDER_BY].map((c) => `"${c}"`).join(', ');
  const rows = await queryDuckdb(db, `select * from gold.${mart} order by ${order}`);
  const likeOf = (k: string, i: number) => (expected[i]?.[k] ?? expected.find((e) => e[k] !== null && e[k] !== undefined)?.[k] ?? null) as never;
  return rows.map((r, i) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, toComparable(v, likeOf(k, i))])));
}

describe('example project on DuckDB', () => {
  beforeAll(() => {
    dir = copyProject();
    db = join(dir, 'target', 'user_events.duckdb');
    const r = tsdbt(['build', '--project-dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Completed successfully.');
  });

  it('builds every gold mart with the independently computed contents', async () => {
    const expected = computeExpectedMarts(join(dir, 'seeds'));
    for (const mart of MART_NAMES) {
      const want = expected[mart];
      expect(want.length, mart).toBeGreaterThan(0);
      expect(await martRows(mart, want), mart).toEqual(want);
    }
  });

  it('builds the microbatch mart in monthly batches that add up to the daily revenue', async () => {
    const expected = computeExpectedMarts(join(dir, 'seeds'));
    const [byCategory] = await queryDuckdb(db, 'select sum(revenue) as total, sum(orders) as orders from gold.daily_category_revenue');
    const total = expected.daily_revenue.reduce((acc, r) => acc + Number(r.revenue), 0);
    const orders = expected.daily_revenue.reduce((acc, r) => acc + Number(r.orders), 0);
    expect(Number(byCategory.total)).toBeCloseTo(total, 2);
    expect(Number(byCategory.orders)).toBe(orders);
    const batches = await queryDuckdb(db, "select count(*) as n from gold.__tsdbt_batches where model = 'model.user_events.daily_category_revenue'");
    expect(Number(batches[0].n)).toBeGreaterThanOrEqual(3);
  });

  it('writes manifest.json and run_results.json with every node', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    const summary = manifest.nodes['model.user_events.user_event_summary'];
    expect(summary.original_file_path).toBe('models/gold/user_event_summary.sql');
    expect(summary.config.materialized).toBe('incremental');
    expect(summary.relation_name).toBe('"user_events"."gold"."user_event_summary"');
    expect(summary.compiled_code).not.toContain('{{');
    expect(manifest.sources['source.user_events.raw.user_events'].relation_name).toBe('"user_events"."raw"."user_events"');
    expect(manifest.child_map['seed.user_events.users']).toContain('source.user_events.raw.users');
    const results = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).results;
    expect(results.length).toBeGreaterThanOrEqual(17);
    expect(results.filter((r: { status: string }) => !['success', 'pass'].includes(r.status))).toEqual([]);
    expect(existsSync(join(dir, 'target/compiled/user_events/models/gold/monthly_revenue.sql'))).toBe(true);
  });

  it('rebuilds incrementally and with --vars and keeps the marts right', async () => {
    const again = tsdbt(['run', '--project-dir', dir, '--vars', '{min_purchase_amount: 50}']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/OK merged into sql incremental model gold\.events_per_minute/);
    const expected = computeExpectedMarts(join(dir, 'seeds'), { minPurchaseAmount: 50 });
    for (const mart of ['customer_segments', 'daily_revenue', 'monthly_revenue', 'events_per_minute'] as const) {
      expect(await martRows(mart, expected[mart]), mart).toEqual(expected[mart]);
    }
  });

  it('lists and selects nodes with graph operators', () => {
    const r = tsdbt(['ls', '--project-dir', dir, '-s', '+monthly_revenue', '--resource-type', 'model', '-o', 'name']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual(['int_events_enriched', 'int_purchases', 'monthly_revenue', 'stg_items', 'stg_user_events', 'stg_users'].sort());
  });
});
