// Federation on a real Trino: the example project's raw tables live in PostgreSQL (loaded here with COPY, as the
// ingester would leave them) and are read through Trino's `postgresql` catalog; every model is written to Iceberg
// by the real CLI. The gold marts must equal the values computed independently from the seed CSVs, a second run
// exercises delete+insert and microbatch on Iceberg, and the project's singular data tests return no rows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsdbt } from '../helpers/project.js';
import { computeExpectedMarts, MART_NAMES, MART_ORDER_BY, toComparable } from '../e2e/example-expectations.js';
import { prepareTrinoExample, type TrinoExample } from './example-on-trino.js';
import { dropPostgresSchema, loadRawIntoPostgres } from './pg-raw.js';
import { connect, dropSchema, runId, schemasLike, trinoUnavailable, withPostgres } from './trino-env.js';

const unavailable = await trinoUnavailable({ postgres: true });
const conn = connect('iceberg');
let ex: TrinoExample;

async function martRows(mart: string, expected: readonly Record<string, unknown>[]) {
  const order = MART_ORDER_BY[mart as keyof typeof MART_ORDER_BY].map((c) => `"${c}"`).join(', ');
  const { rows } = await conn.execute(`select * from iceberg."${ex.schema}_gold"."${mart}" order by ${order}`);
  const likeOf = (k: string, i: number) => (expected[i]?.[k] ?? expected.find((e) => e[k] !== null && e[k] !== undefined)?.[k] ?? null) as never;
  return rows.map((r, i) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, toComparable(v, likeOf(k, i))])));
}

describe.skipIf(!!unavailable)(`example project federated on Trino: PostgreSQL sources, Iceberg models${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  beforeAll(async () => {
    const id = runId('tsdbt_fed');
    ex = prepareTrinoExample(id, `${id}_raw`);
    await withPostgres((c) => loadRawIntoPostgres(c, ex.dir, join(ex.dir, 'seeds'), ex.rawSchema));
    const r = tsdbt(['run', '--project-dir', ex.dir]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Completed successfully.');
    expect(r.code).toBe(0);
  }, 600_000);

  afterAll(async () => {
    if (!ex) return;
    for (const s of await schemasLike(conn, 'iceberg', ex.schema)) await dropSchema(conn, 'iceberg', s);
    await withPostgres((c) => dropPostgresSchema(c, ex.rawSchema));
  }, 120_000);

  it('reads the sources through the postgresql catalog and writes models to Iceberg', () => {
    const manifest = JSON.parse(readFileSync(join(ex.dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.sources['source.user_events.raw.user_events'].relation_name).toBe(`"postgresql"."${ex.rawSchema}"."user_events"`);
    expect(manifest.nodes['model.user_events.daily_revenue'].relation_name).toBe(`"iceberg"."${ex.schema}_gold"."daily_revenue"`);
    const view = readFileSync(join(ex.dir, 'target/run/user_events/models/bronze/stg_users.sql'), 'utf8');
    expect(view).toContain(`from "postgresql"."${ex.rawSchema}"."users"`);
  });

  it('builds every gold mart with the independently computed contents', async () => {
    const expected = computeExpectedMarts(join(ex.dir, 'seeds'));
    for (const mart of MART_NAMES) {
      expect(expected[mart].length, mart).toBeGreaterThan(0);
      expect(await martRows(mart, expected[mart]), mart).toEqual(expected[mart]);
    }
  });

  it('replaces tables atomically with CREATE OR REPLACE and runs incremental strategies on a second run', async () => {
    const r = tsdbt(['run', '--project-dir', ex.dir, '--vars', '{min_purchase_amount: 50}']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/OK (replaced rows in|merged into) sql incremental model \S+_gold\.events_per_minute/);
    expect(r.stdout).toMatch(/OK ran \d+ batch(es)? of sql incremental model \S+_gold\.daily_category_revenue/);
    const table = readFileSync(join(ex.dir, 'target/run/user_events/models/gold/daily_revenue.sql'), 'utf8');
    expect(table).toMatch(/^create or replace table "iceberg"\."[^"]+_gold"\."daily_revenue" as$/m);
    const expected = computeExpectedMarts(join(ex.dir, 'seeds'), { minPurchaseAmount: 50 });
    for (const mart of ['customer_segments', 'daily_revenue', 'monthly_revenue', 'events_per_minute'] as const) {
      expect(await martRows(mart, expected[mart]), mart).toEqual(expected[mart]);
    }
  }, 600_000);

  it("runs the project's singular data tests as plain SELECTs with no failing rows", async () => {
    for (const test of ['assert_revenue_reconciles', 'assert_streaming_counts_match_events']) {
      const sql = readFileSync(join(ex.dir, `target/compiled/user_events/tests/${test}.sql`), 'utf8');
      const { rows } = await conn.execute(`select count(*) as failures from (\n${sql}\n) as t`);
      expect(Number(rows[0].failures), test).toBe(0);
    }
  });
});
