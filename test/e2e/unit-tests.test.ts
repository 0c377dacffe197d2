// Unit tests of model logic through the real CLI: fixtures for refs, sources and ephemeral parents (dict and csv),
// an isolated DuckDB (no real table is needed or touched), the diff printed on failure, an incremental model checked
// after the merge, and build skipping a model whose unit test fails.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsdbt, writeProject } from '../helpers/project.js';
import { plain, queryDuckdb } from '../helpers/duckdb.js';

const MODELS = {
  'tsdbt_project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    int:\n      +materialized: ephemeral\n',
  'seeds/users.csv': 'id,country\n1,us\n2,de\n',
  'seeds/orders.csv': 'order_id,user_id,amount,ordered_at\n1,1,10.5,2024-01-01 10:00:00\n2,1,0,2024-01-02 10:00:00\n3,2,5,2024-01-03 10:00:00\n',
  'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    schema: main\n    tables:\n      - name: users\n      - name: orders\n',
  'models/stg_users.sql': "select id, upper(country) as country from {{ source('raw', 'users') }}",
  'models/int/int_orders.sql': "select order_id, user_id, amount, ordered_at from {{ source('raw', 'orders') }} where amount > 0",
  'models/customer_totals.sql': `select u.id, u.country, count(o.order_id) as orders, coalesce(sum(o.amount), 0) as revenue, max(o.ordered_at) as last_order_at
from {{ ref('stg_users') }} as u
left join {{ ref('int_orders') }} as o on o.user_id = u.id
group by u.id, u.country`,
  'models/inc.sql': `{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert') }}
select id, country as v from {{ ref('stg_users') }}
{% if is_incremental() %} where id >= (select max(id) from {{ this }}) {% endif %}`,
};

const TOTALS = `  - name: totals_per_user
    model: customer_totals
    given:
      - input: ref('stg_users')
        rows:
          - {id: 1, country: US}
          - {id: 2, country: DE}
          - {id: 3, country: FR}
      - input: ref('int_orders')
        format: csv
        rows: |
          order_id,user_id,amount,ordered_at
          10,1,10.50,2024-01-01 10:00:00
          11,1,4.50,2024-01-05 10:00:00
          12,2,3,2024-01-03 10:00:00
    expect:
      rows:
        - {id: 1, country: US, orders: 2, revenue: 15.0, last_order_at: '2024-01-05 10:00:00'}
        - {id: 2, country: DE, orders: 1, revenue: 3, last_order_at: '2024-01-03 10:00:00'}
        - {id: 3, country: FR, orders: 0, revenue: 0}
  - name: stg_users_upper
    model: stg_users
    given:
      - input: source('raw', 'users')
        rows: [{id: 1, country: us}]
    expect:
      format: sql
      rows: "select 1 as id, 'US' as country"
`;

const MERGE = (expected: string) => `  - name: merge_keeps_old_rows
    model: inc
    overrides:
      macros: {is_incremental: true}
    given:
      - input: this
        rows: [{id: 1, v: old}, {id: 2, v: old}]
      - input: ref('stg_users')
        rows: [{id: 1, country: NEW}, {id: 2, country: NEW}, {id: 3, country: NEW}]
    expect:
      rows: ${expected}
`;

const WRONG = `  - name: totals_wrong
    model: customer_totals
    given:
      - input: ref('stg_users')
        rows: [{id: 1, country: US}, {id: 2, country: DE}]
      - input: ref('int_orders')
        rows: [{order_id: 10, user_id: 1, amount: 2, ordered_at: '2024-01-01 00:00:00'}]
    expect:
      rows:
        - {id: 1, orders: 1, revenue: 3}
        - {id: 2, orders: 0, revenue: 0}
`;

const project = (tests: string) => writeProject({ ...MODELS, 'models/unit_tests.yml': `unit_tests:\n${tests}` });
const results = (dir: string) => Object.fromEntries(JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).results.map((r: { unique_id: string }) => [r.unique_id, r]));

describe('unit tests', () => {
  it('pass on fixture rows without any real table (refs, sources, an ephemeral parent, csv and sql formats)', async () => {
    const dir = project(TOTALS + MERGE('[{id: 1, v: old}, {id: 2, v: NEW}, {id: 3, v: NEW}]'));
    const r = tsdbt(['test', '--project-dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Done. PASS=3 WARN=0 ERROR=0 SKIP=0 TOTAL=3');
    expect(Object.keys(results(dir)).sort()).toEqual(['unit_test.demo.customer_totals.totals_per_user', 'unit_test.demo.inc.merge_keeps_old_rows', 'unit_test.demo.stg_users.stg_users_upper']);
    const db = join(dir, 'target/demo.duckdb');
    if (existsSync(db)) expect(await queryDuckdb(db, 'select table_name from information_schema.tables')).toEqual([]);
  });

  it('print the rows that differ from the expected ones', () => {
    const dir = project(WRONG);
    const r = tsdbt(['test', '--project-dir', dir]);
    expect(r.code).toBe(1);
    expect(results(dir)['unit_test.demo.customer_totals.totals_wrong']).toMatchObject({ status: 'fail', failures: 2 });
    expect(r.stdout).toContain('actual differs from expected: 1 expected row missing, 1 unexpected row (got 2 rows, expected 2)');
    expect(r.stdout).toMatch(/ {6}\| id \| orders \| revenue \|\n {6}\|-+\|-+\|-+\|\n {4}- \| 1 +\| 1 +\| 3 +\|\n {4}\+ \| 1 +\| 1 +\| 2 +\|/);
  });

  it('check an incremental model as the table stands after the merge', () => {
    const dir = project(MERGE('[{id: 1, v: NEW}, {id: 2, v: NEW}, {id: 3, v: NEW}]'));
    const r = tsdbt(['test', '--project-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/- \| 1 +\| NEW \|\n\s+\+ \| 1 +\| old \|/);
  });

  it('in build, a failing unit test skips its model and nothing else; excluding it builds the model', async () => {
    const dir = project(TOTALS + WRONG);
    const r = tsdbt(['build', '--project-dir', dir]);
    expect(r.code).toBe(1);
    const res = results(dir);
    expect(res['model.demo.customer_totals'].status).toBe('skipped');
    expect(r.stdout).toContain('SKIP sql view model main.customer_totals (upstream totals_wrong failed)');
    expect(res['model.demo.stg_users'].status).toBe('success');
    const ok = tsdbt(['build', '--project-dir', dir, '--exclude', 'totals_wrong']);
    expect(ok.code).toBe(0);
    expect(plain(await queryDuckdb(join(dir, 'target/demo.duckdb'), 'select id, orders, revenue from main.customer_totals order by id'))).toEqual([
      { id: 1, orders: 1, revenue: 10.5 },
      { id: 2, orders: 1, revenue: 5 },
    ]);
  });

  it('are selected with their model', () => {
    const dir = project(TOTALS);
    tsdbt(['test', '--project-dir', dir, '--select', 'stg_users']);
    expect(Object.keys(results(dir))).toEqual(['unit_test.demo.stg_users.stg_users_upper']);
  });

  it('report a fixture that lacks a column the model reads', () => {
    const dir = project(WRONG.replace(", ordered_at: '2024-01-01 00:00:00'", ''));
    const r = tsdbt(['test', '--project-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR test totals_wrong[\s\S]*does not have a column named "ordered_at"/);
  });
});
