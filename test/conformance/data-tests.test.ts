// Conformance: generic and singular data tests give the same failure counts on every engine, with severity and
// thresholds, and `build` skips what is downstream of a failing test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeEngines, expectExit, inSandbox } from './harness.js';

const FILES = {
  'seeds/customers.csv': 'id,country\n1,FR\n2,DE\n3,FR\n',
  'seeds/orders.csv': 'id,customer_id,status\n10,1,paid\n11,2,paid\n11,9,lost\n13,,new\n',
  'models/schema.yml': `version: 2
seeds:
  - name: orders
    columns:
      - name: id
        data_tests: [unique]
      - name: customer_id
        data_tests:
          - not_null:
              config: {severity: warn}
          - relationships: {to: ref('customers'), field: id}
      - name: status
        data_tests:
          - accepted_values:
              values: [paid, new]
              config: {error_if: ">5", warn_if: ">0"}
`,
  'tests/no_french_orders.sql': "select o.* from {{ ref('orders') }} o join {{ ref('customers') }} c on o.customer_id = c.id where c.country = 'FR'",
  'models/after_orders.sql': "select count(*) as n from {{ ref('orders') }}",
};

type Result = { unique_id: string; status: string; failures: number | null };

describeEngines('data tests', (engine) => {
  it('generic and singular tests report the exact failing counts with severity and thresholds', async () => {
    await inSandbox(engine, FILES, async ({ cli, dir }) => {
      expectExit(cli(['seed']), 0);
      expectExit(cli(['test']), 1);
      const results: Result[] = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).results;
      const byKind = Object.fromEntries(results.map((r) => [r.unique_id.split('.')[2].split('_orders')[0], [r.status, r.failures]]));
      expect(byKind).toEqual({
        unique: ['fail', 1],
        not_null: ['warn', 1],
        relationships: ['fail', 1],
        accepted_values: ['warn', 1],
        no_french: ['fail', 1],
      });
    });
  });

  it('build skips the models downstream of a failing test', async () => {
    await inSandbox(engine, FILES, async ({ cli, dir }) => {
      expectExit(cli(['build']), 1);
      const results: Result[] = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).results;
      expect(results.find((r) => r.unique_id === 'model.demo.after_orders')?.status).toBe('skipped');
    });
  });
});
