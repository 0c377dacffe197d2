// Data tests through the real CLI on DuckDB: every kind of test passes and fails on purpose-built rows with exact
// failure counts; severity, warn_if / error_if and limit; store_failures' audit table; selection of tests; and
// `build` skipping what is downstream of a failing test but not of a warning one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tsdbt, writeProject } from '../helpers/project.js';
import { plain, queryDuckdb } from '../helpers/duckdb.js';

const ORDERS = `order_id,customer_id,status,amount
1,1,placed,10
2,1,shipped,20
2,2,shipped,5
3,,returned,7
4,9,placed,
5,2,lost,0
`;

const SCHEMA = `version: 2
models:
  - name: stg_orders
    columns:
      - name: order_id
        data_tests: [unique, not_null]
      - name: customer_id
        data_tests:
          - not_null:
              config:
                tags: [critical]
          - relationships:
              arguments:
                to: ref('customers')
                field: id
              config:
                store_failures: true
      - name: status
        tests:
          - accepted_values:
              values: ['placed', 'shipped']
          - accepted_values:
              arguments:
                values: ['placed']
              config:
                warn_if: ">2"
                error_if: ">5"
          - accepted_values:
              name: status_accepted_limited
              values: ['placed', 'shipped']
              severity: warn
              limit: 1
      - name: amount
        data_tests:
          - not_null:
              config:
                severity: warn
          - positive
          - positive:
              name: positive_amount_except_lost
              config:
                where: "status <> 'lost'"
sources:
  - name: raw
    schema: main
    tables:
      - name: orders
        columns:
          - name: order_id
            data_tests: [not_null]
`;

const FILES = {
  'seeds/orders.csv': ORDERS,
  'seeds/customers.csv': 'id,name\n1,ann\n2,bob\n',
  'models/stg_orders.sql': "select * from {{ source('raw', 'orders') }}",
  'models/order_totals.sql': "select customer_id, sum(amount) as total from {{ ref('stg_orders') }} group by customer_id",
  'models/customer_names.sql': "select name from {{ ref('customers') }}",
  'models/schema.yml': SCHEMA,
  'tests/generic/positive.sql': '{% test positive(model, column_name) %}\nselect * from {{ model }} where {{ column_name }} <= 0\n{% endtest %}\n',
  'tests/assert_no_big_orders.sql': "-- orders above 15 are failures\nselect * from {{ ref('stg_orders') }} where amount > 15",
};

const EXPECTED: Record<string, [string, number]> = {
  'test.demo.unique_stg_orders_order_id': ['fail', 1],
  'test.demo.not_null_stg_orders_order_id': ['pass', 0],
  'test.demo.not_null_stg_orders_customer_id': ['fail', 1],
  'test.demo.relationships_stg_orders_customer_id__id__ref_customers_': ['fail', 1],
  'test.demo.accepted_values_stg_orders_status__placed__shipped': ['fail', 2],
  'test.demo.accepted_values_stg_orders_status__placed': ['warn', 3],
  'test.demo.status_accepted_limited': ['warn', 1],
  'test.demo.not_null_stg_orders_amount': ['warn', 1],
  'test.demo.positive_stg_orders_amount': ['fail', 1],
  'test.demo.positive_amount_except_lost': ['pass', 0],
  'test.demo.assert_no_big_orders': ['fail', 1],
  'test.demo.source_not_null_raw_orders_order_id': ['pass', 0],
};

type Result = { unique_id: string; status: string; failures: number | null; message: string };
const results = (dir: string): Result[] => JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).results;
const byId = (dir: string) => Object.fromEntries(results(dir).map((r) => [r.unique_id, r]));

describe('data tests on DuckDB', () => {
  let dir: string;
  let build: ReturnType<typeof tsdbt>;
  beforeAll(() => {
    dir = writeProject(FILES);
    build = tsdbt(['build', '--project-dir', dir]);
  });

  it('build runs tests after their models and skips what is downstream of a failing test', () => {
    expect(build.stderr).toBe('');
    expect(build.code).toBe(1);
    const r = byId(dir);
    expect(r['model.demo.order_totals'].status).toBe('skipped');
    expect(build.stdout).toMatch(/SKIP sql view model main\.order_totals \(upstream \w+ failed\)/);
    // customers' only test is the relationships test, which also depends on stg_orders: it gates nothing built from customers alone.
    expect(r['model.demo.customer_names'].status).toBe('success');
    expect(r['model.demo.stg_orders'].status).toBe('success');
  });

  it('test reports pass, fail and warn with exact failure counts and exits 1', () => {
    const t = tsdbt(['test', '--project-dir', dir]);
    expect(t.code).toBe(1);
    const r = byId(dir);
    expect(Object.keys(r).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [id, [status, failures]] of Object.entries(EXPECTED)) expect([id, r[id].status, r[id].failures]).toEqual([id, status, failures]);
    expect(r['test.demo.accepted_values_stg_orders_status__placed'].message).toBe('Got 3 results, configured to warn if >2');
    expect(t.stdout).toMatch(/FAIL 1 test unique_stg_orders_order_id \.+ \[FAIL in/);
    expect(t.stdout).toMatch(/WARN 1 test not_null_stg_orders_amount \.+ \[WARN in/);
    expect(t.stdout).toContain('Got 1 result, configured to fail if != 0');
    // The first failing rows, as a table under the failing test.
    expect(t.stdout).toMatch(/\| unique_field \| n_records \|\n\s+\|-+\|-+\|\n\s+\| 2 +\| 2 +\|/);
    expect(t.stdout).toContain('Done. PASS=3 WARN=3 ERROR=6 SKIP=0 TOTAL=12');
  });

  it('keeps the failing rows of a store_failures test in the audit schema', async () => {
    const rows = await queryDuckdb(join(dir, 'target/demo.duckdb'), 'select * from main_dbt_test__audit.relationships_stg_orders_customer_id__id__ref_customers_');
    expect(plain(rows)).toEqual([{ from_field: 9 }]);
    expect(tsdbt(['test', '--project-dir', dir]).stdout).toContain('failing rows stored in "demo"."main_dbt_test__audit"."relationships_stg_orders_customer_id__id__ref_customers_"');
  });

  it('selects tests by the models they test, by tag and by test type', () => {
    const ids = (args: string[]) => {
      tsdbt(['test', '--project-dir', dir, ...args]);
      return results(dir).map((r) => r.unique_id).sort();
    };
    expect(ids(['--select', 'customers'])).toEqual(['test.demo.relationships_stg_orders_customer_id__id__ref_customers_']);
    expect(ids(['--select', 'tag:critical'])).toEqual(['test.demo.not_null_stg_orders_customer_id']);
    expect(ids(['--select', 'test_type:singular'])).toEqual(['test.demo.assert_no_big_orders']);
    expect(ids(['--select', 'source:raw'])).toEqual(['test.demo.source_not_null_raw_orders_order_id']);
    expect(ids(['--select', 'stg_orders', '--exclude', 'test_name:accepted_values', 'test_name:positive', 'test_type:singular', 'customers'])).toEqual([
      'test.demo.not_null_stg_orders_amount',
      'test.demo.not_null_stg_orders_customer_id',
      'test.demo.not_null_stg_orders_order_id',
      'test.demo.unique_stg_orders_order_id',
    ]);
  });

  it('a test whose SQL fails is an error with the executed SQL file', () => {
    const d = writeProject({ ...FILES, 'tests/broken.sql': "select * from {{ ref('stg_orders') }} where no_such_column = 1" });
    tsdbt(['build', '--project-dir', d, '--select', 'stg_orders']);
    const t = tsdbt(['test', '--project-dir', d, '--select', 'broken']);
    expect(t.code).toBe(1);
    expect(t.stdout).toMatch(/ERROR test broken/);
    expect(t.stdout).toContain('no_such_column');
    expect(t.stdout).toContain('executed SQL: target/run/demo/tests/broken.sql');
  });
});

describe('warnings do not block', () => {
  it('build goes on past a warn-severity test and exits 0', () => {
    const dir = writeProject({
      'seeds/orders.csv': ORDERS,
      'models/stg_orders.sql': "select * from {{ ref('orders') }}",
      'models/order_totals.sql': "select customer_id, sum(amount) as total from {{ ref('stg_orders') }} group by customer_id",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: stg_orders\n    columns:\n      - name: order_id\n        data_tests:\n          - unique:\n              config:\n                severity: warn\n',
    });
    const r = tsdbt(['build', '--project-dir', dir]);
    expect(r.code).toBe(0);
    expect(byId(dir)['test.demo.unique_stg_orders_order_id']).toMatchObject({ status: 'warn', failures: 1 });
    expect(byId(dir)['model.demo.order_totals'].status).toBe('success');
  });

  it('error_if above the failure count turns a failure into a warning', () => {
    const dir = writeProject({
      'seeds/orders.csv': ORDERS,
      'models/schema.yml': 'version: 2\nseeds:\n  - name: orders\n    columns:\n      - name: status\n        data_tests:\n          - accepted_values:\n              values: [placed]\n              config: {error_if: ">=4", warn_if: ">=3"}\n',
    });
    const r = tsdbt(['build', '--project-dir', dir]);
    expect(r.code).toBe(0);
    expect(results(dir).find((x) => x.unique_id.startsWith('test.'))).toMatchObject({ status: 'warn', failures: 3, message: 'Got 3 results, configured to warn if >=3' });
  });
});
