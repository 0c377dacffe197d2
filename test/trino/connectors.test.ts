// Materializations on each Trino connector, on a real Trino: seeds (batched INSERTs), views, tables (CREATE OR
// REPLACE on Iceberg, rename swap on memory and postgresql), incremental strategies, snapshots and data tests, run
// twice with changed data in between; and what a connector cannot do fails with one clear message. Each connector
// gets its own schema for this run, dropped afterwards.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trinoAdapter } from '../../src/adapters/trino/adapter.js';
import { CONNECTORS } from '../../src/adapters/trino/capabilities.js';
import { writeProject } from '../helpers/project.js';
import { buildOnTrino } from './run-in-process.js';
import { connect, dropSchema, runId, TRINO_PORT, trinoTarget, trinoUnavailable } from './trino-env.js';

const unavailable = await trinoUnavailable();
const skipped = unavailable ? ` (skipped: ${unavailable})` : '';
const created: [string, string][] = [];

const SEED_V1 = 'id,status,amount,ordered_at\n1,new,10.50,2024-01-01 10:00:00\n2,new,20,2024-01-02 11:00:00\n';
const SEED_V2 = 'id,status,amount,ordered_at\n1,new,10.50,2024-01-01 10:00:00\n2,paid,25,2024-01-02 11:00:00\n3,new,30,2024-01-03 12:00:00\n';

const MODELS: Record<string, string> = {
  'models/v_orders.sql': "{{ config(materialized='view') }}\nwith o as (select * from {{ ref('orders') }})\nselect id, status, amount from o",
  'models/t_orders.sql': "{{ config(materialized='table') }}\nselect id, status, amount, ordered_at from {{ ref('orders') }};\n",
  'models/inc_append.sql': "{{ config(materialized='incremental') }}\nselect id, status from {{ ref('orders') }}\n{% if is_incremental() %}where id > (select max(id) from {{ this }}){% endif %}",
  'models/inc_delete_insert.sql':
    "{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='id') }}\nselect id, status, amount from {{ ref('orders') }}\n{% if is_incremental() %}where id >= 2{% endif %}",
  'models/inc_merge.sql':
    "{{ config(materialized='incremental', incremental_strategy='merge', unique_key=['id']) }}\nselect id, status, amount from {{ ref('orders') }}\n{% if is_incremental() %}where id >= 2{% endif %}",
  'snapshots/orders_snapshot.sql':
    "{% snapshot orders_snapshot %}\n{{ config(target_schema=target.schema, unique_key='id', strategy='check', check_cols=['status', 'amount'], invalidate_hard_deletes=true) }}\nselect id, status, amount from {{ ref('orders') }}\n{% endsnapshot %}",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: t_orders\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n',
};

function project(catalog: string, schema: string, models: readonly string[]): string {
  const files: Record<string, string> = {
    'profiles.yml': `demo:\n  target: trino\n  outputs:\n    trino:\n      type: trino\n      host: 127.0.0.1\n      port: ${TRINO_PORT}\n      user: tsdbt\n      catalog: ${catalog}\n      schema: ${schema}\n      threads: 4\n`,
    'seeds/orders.csv': SEED_V1,
    'tsdbt_project.yml': 'name: demo\nprofile: demo\nconfig-version: 2\nseeds:\n  demo:\n    orders:\n      +column_types:\n        amount: decimal(10,2)\n',
  };
  for (const m of models) files[m] = MODELS[m];
  if (!models.includes('models/t_orders.sql')) files['models/schema.yml'] = 'version: 2\n';
  return writeProject(files);
}

async function rows(catalog: string, schema: string, table: string): Promise<Record<string, unknown>[]> {
  return (await connect(catalog, schema).execute(`select * from "${catalog}"."${schema}"."${table}" order by 1, 2`)).rows;
}

afterAll(async () => {
  const conn = connect();
  for (const [catalog, schema] of created) await dropSchema(conn, catalog, schema).catch(() => undefined);
}, 120_000);

describe.skipIf(!!unavailable)(`Trino connectors${skipped}`, () => {
  it('resolves capabilities from the catalog connector, or from the `connector:` profile key', async () => {
    for (const connector of ['iceberg', 'memory', 'postgresql'] as const) {
      const pool = await trinoAdapter.open(trinoTarget(connector, 'default'), 1);
      expect(pool.connector).toBe(connector);
      expect(pool.capabilities).toEqual(CONNECTORS[connector].capabilities);
      await pool.close();
    }
    const declared = await trinoAdapter.open(trinoTarget('iceberg', 'default', { connector: 'memory' }), 1);
    expect(declared.capabilities).toEqual(CONNECTORS.memory.capabilities);
  });

  it('iceberg: every materialization, CREATE OR REPLACE tables, delete+insert and merge, snapshots, data tests', async () => {
    const schema = runId('tsdbt_ice');
    created.push(['iceberg', schema]);
    const dir = project('iceberg', schema, Object.keys(MODELS));
    const first = await buildOnTrino(dir);
    expect(first.lines.filter((l) => /ERROR|FAIL/.test(l))).toEqual([]);
    expect(first.results.every((r) => r.status === 'success' || r.status === 'pass')).toBe(true);
    expect(first.byName.not_null_t_orders_id.status).toBe('pass');
    writeFileSync(join(dir, 'seeds/orders.csv'), SEED_V2);
    const second = await buildOnTrino(dir);
    expect(second.lines.filter((l) => /ERROR|FAIL/.test(l))).toEqual([]);
    expect(second.lines.join('\n')).toMatch(/OK merged into sql incremental model \S+\.inc_merge/);
    const v2 = [
      { id: 1, status: 'new', amount: '10.50' },
      { id: 2, status: 'paid', amount: '25.00' },
      { id: 3, status: 'new', amount: '30.00' },
    ];
    expect(await rows('iceberg', schema, 'v_orders')).toEqual(v2);
    expect(await rows('iceberg', schema, 't_orders')).toEqual(v2.map((r, i) => ({ ...r, ordered_at: `2024-01-0${i + 1} 1${i}:00:00.000000` })));
    expect(await rows('iceberg', schema, 'inc_append')).toEqual([{ id: 1, status: 'new' }, { id: 2, status: 'new' }, { id: 3, status: 'new' }]);
    expect(await rows('iceberg', schema, 'inc_delete_insert')).toEqual(v2);
    expect(await rows('iceberg', schema, 'inc_merge')).toEqual(v2);
    const snap = await rows('iceberg', schema, 'orders_snapshot');
    expect(snap.map((r) => [r.id, r.status, r.dbt_valid_to === null])).toEqual([[1, 'new', true], [2, 'new', false], [2, 'paid', true], [3, 'new', true]]);
    expect(snap.every((r) => /^[0-9a-f]{32}$/.test(String(r.dbt_scd_id)))).toBe(true);
  }, 300_000);

  it('memory: seeds, views and tables by rename swap; no row-level DELETE or MERGE, said plainly', async () => {
    const schema = runId('tsdbt_mem');
    created.push(['memory', schema]);
    const dir = project('memory', schema, ['models/v_orders.sql', 'models/t_orders.sql', 'models/inc_append.sql', 'models/inc_delete_insert.sql', 'models/inc_merge.sql', 'models/schema.yml']);
    const first = await buildOnTrino(dir);
    expect(first.capabilities.createOrReplaceTable).toBe(false);
    expect(first.results.every((r) => r.status === 'success' || r.status === 'pass')).toBe(true);
    writeFileSync(join(dir, 'seeds/orders.csv'), SEED_V2);
    const second = await buildOnTrino(dir);
    expect(second.byName.t_orders.status).toBe('success');
    expect(second.byName.inc_append.status).toBe('success');
    expect(second.byName.inc_delete_insert.message).toMatch(/delete replaced rows: Trino NOT_SUPPORTED: This connector does not support modifying table rows/);
    expect(second.byName.inc_merge.message).toMatch(/incremental_strategy 'merge' is not supported on trino; use delete\+insert/);
    expect((await rows('memory', schema, 't_orders')).map((r) => r.status)).toEqual(['new', 'paid', 'new']);
    expect((await rows('memory', schema, 'v_orders')).length).toBe(3);
    expect((await rows('memory', schema, 'inc_append')).length).toBe(3);
  }, 300_000);

  it('postgresql: seeds and tables by rename swap, incremental append; views are not supported, said plainly', async () => {
    const schema = runId('tsdbt_pg');
    created.push(['postgresql', schema]);
    const dir = project('postgresql', schema, ['models/v_orders.sql', 'models/t_orders.sql', 'models/inc_append.sql', 'models/schema.yml']);
    const first = await buildOnTrino(dir);
    expect(first.byName.v_orders.message).toMatch(/create view: Trino NOT_SUPPORTED: This connector does not support creating views/);
    expect(first.byName.t_orders.status).toBe('success');
    writeFileSync(join(dir, 'seeds/orders.csv'), SEED_V2);
    const second = await buildOnTrino(dir);
    expect(second.byName.t_orders.status).toBe('success');
    expect(second.byName.unique_t_orders_id.status).toBe('pass');
    expect((await rows('postgresql', schema, 't_orders')).map((r) => r.amount)).toEqual(['10.50', '25.00', '30.00']);
    expect((await rows('postgresql', schema, 'inc_append')).length).toBe(3);
  }, 300_000);
});
