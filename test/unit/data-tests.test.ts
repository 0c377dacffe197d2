// Generic data tests from YAML: the synthesized test nodes (names, metadata, edges), the SQL of the built-in tests
// (golden files), custom generic tests and the diagnostics for mistakes, at their YAML line.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compileFiles } from '../helpers/project.js';
import { expectGolden } from '../helpers/golden.js';
import type { Diagnostic } from '../../src/common/diagnostics.js';

const find = (ds: readonly Diagnostic[], code: string) => ds.filter((d) => d.code === code);

const SCHEMA = `version: 2
models:
  - name: orders
    columns:
      - name: order_id
        data_tests:
          - unique
          - not_null
      - name: status
        tests:
          - accepted_values:
              values: ['placed', 'shipped']
          - accepted_values:
              arguments:
                values: [1, 2]
                quote: false
              config:
                severity: warn
                where: "status <> 'x'"
          - accepted_values:
              name: status_codes
              values: ['a']
      - name: customer_id
        data_tests:
          - relationships:
              arguments:
                to: ref('customers')
                field: id
sources:
  - name: raw
    tables:
      - name: customers
        columns:
          - name: id
            data_tests: [unique]
`;

const PROJECT = {
  'models/orders.sql': 'select 1 as order_id, 1 as customer_id, \'placed\' as status',
  'models/customers.sql': "select * from {{ source('raw', 'customers') }}",
  'models/schema.yml': SCHEMA,
};

describe('generic data tests', () => {
  it('synthesizes one test node per YAML test with dbt names, metadata and edges', () => {
    const { project, diags } = compileFiles(PROJECT);
    expect(diags.errors).toEqual([]);
    const tests = Object.values(project!.manifest.nodes).filter((n) => n.resource_type === 'test');
    expect(tests.map((t) => t.unique_id).sort()).toEqual([
      'test.demo.accepted_values_orders_status__False__1__2',
    ].concat([
      'test.demo.status_codes',
      'test.demo.accepted_values_orders_status__placed__shipped',
      'test.demo.not_null_orders_order_id',
      'test.demo.relationships_orders_customer_id__id__ref_customers_',
      'test.demo.source_unique_raw_customers_id',
      'test.demo.unique_orders_order_id',
    ]).sort());
    const rel = project!.manifest.nodes['test.demo.relationships_orders_customer_id__id__ref_customers_'];
    expect(rel.test_metadata).toEqual({ name: 'relationships', kwargs: { column_name: 'customer_id', to: "ref('customers')", field: 'id', model: "{{ get_where_subquery(ref('orders')) }}" }, namespace: undefined });
    expect(rel.attached_node).toBe('model.demo.orders');
    expect(rel.column_name).toBe('customer_id');
    expect(rel.original_file_path).toBe('models/schema.yml');
    expect(rel.depends_on.nodes.sort()).toEqual(['model.demo.customers', 'model.demo.orders']);
    const src = project!.manifest.nodes['test.demo.source_unique_raw_customers_id'];
    expect(src.depends_on.nodes).toEqual(['source.demo.raw.customers']);
    expect(src.attached_node).toBeUndefined();
  });
});

describe('built-in test SQL', () => {
  const { project } = compileFiles({
    ...PROJECT,
    'models/more.yml': `version: 2
models:
  - name: customers
    columns:
      - name: id
        data_tests:
          - not_null:
              config:
                where: "id > {{ var('min_id', 0) }}"
`,
  });
  const sql = (id: string) => `${project!.manifest.nodes[id].compiled_code}\n`;
  it.each([
    ['unique', 'test.demo.unique_orders_order_id'],
    ['not_null', 'test.demo.not_null_orders_order_id'],
    ['accepted_values', 'test.demo.accepted_values_orders_status__placed__shipped'],
    ['accepted_values-unquoted', 'test.demo.accepted_values_orders_status__False__1__2'],
    ['relationships', 'test.demo.relationships_orders_customer_id__id__ref_customers_'],
    ['not_null-where', 'test.demo.not_null_customers_id'],
  ])('%s', (name, id) => expectGolden(`data-tests/${name}.sql`, sql(id)));

  it('applies where through a subquery of the tested relation and renders templates in it', () => {
    expect(sql('test.demo.not_null_customers_id')).toContain('from (select * from "demo"."main"."customers" where id > 0) dbt_subquery');
    expect(project!.manifest.nodes['test.demo.accepted_values_orders_status__False__1__2'].config).toMatchObject({ severity: 'warn', where: "status <> 'x'" });
  });

  it('escapes quotes in accepted values', () => {
    const { project: p } = compileFiles({
      'models/m.sql': 'select 1 as c',
      'models/s.yml': `version: 2\nmodels:\n  - name: m\n    columns:\n      - name: c\n        data_tests:\n          - accepted_values:\n              values: ["it's"]\n`,
    });
    expect(Object.values(p!.manifest.nodes).find((n) => n.resource_type === 'test')!.compiled_code).toContain("not in ('it''s')");
  });
});

describe('test names, custom tests and overrides', () => {
  it('shortens long names to the first 30 characters of <test>_<model> plus an md5 of the full name, like dbt', () => {
    const { project } = compileFiles({
      'models/m.sql': "select 'a' as c",
      'models/s.yml': `version: 2\nmodels:\n  - name: m\n    columns:\n      - name: c\n        data_tests:\n          - accepted_values:\n              values: ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta']\n`,
    });
    const [t] = Object.values(project!.manifest.nodes).filter((n) => n.resource_type === 'test');
    expect(t.name).toMatch(/^accepted_values_m_[0-9a-f]{32}$/);
    expect(t.name).toBe(`accepted_values_m_${createHash('md5').update('accepted_values_m_c__alpha__beta__gamma__delta__epsilon__zeta__eta').digest('hex')}`);
  });

  it('uses a project test of the same name instead of the built-in one, and custom tests from tests/generic', () => {
    const { project, diags } = compileFiles({
      'models/m.sql': 'select 1 as c',
      'macros/my_unique.sql': '{% test unique(model, column_name) %}select {{ column_name }} from {{ model }} /* mine */{% endtest %}',
      'tests/generic/even.sql': '{% test even(model, column_name, divisor=2) %}select * from {{ model }} where {{ column_name }} % {{ divisor }} <> 0{% endtest %}',
      'models/s.yml': 'version: 2\nmodels:\n  - name: m\n    data_tests:\n      - even:\n          column_name: c\n          divisor: 3\n    columns:\n      - name: c\n        data_tests: [unique, even]\n',
    });
    expect(diags.errors).toEqual([]);
    const n = project!.manifest.nodes;
    expect(n['test.demo.unique_m_c'].compiled_code).toBe('select c from "demo"."main"."m" /* mine */');
    expect(n['test.demo.even_m_c'].compiled_code).toBe('select * from "demo"."main"."m" where c % 2 <> 0');
    expect(n['test.demo.even_m_c__3'].compiled_code).toBe('select * from "demo"."main"."m" where c % 3 <> 0');
    expect(n['test.demo.even_m_c__3'].column_name).toBeUndefined();
    expect(project!.manifest.macros['macro.tsdbt.test_unique']).toBeDefined();
  });

  it('takes configs from the project file and column tags', () => {
    const { project } = compileFiles({
      'tsdbt_project.yml': 'name: demo\nprofile: demo\ndata_tests:\n  +severity: warn\n  +store_failures: true\n',
      'models/m.sql': 'select 1 as c',
      'models/s.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: c\n        tags: [pii]\n        data_tests:\n          - not_null:\n              config: {severity: error, tags: [nightly]}\n',
    });
    const t = project!.manifest.nodes['test.demo.not_null_m_c'];
    expect(t.config).toMatchObject({ severity: 'error', store_failures: true });
    expect(t.tags).toEqual(['pii', 'nightly']);
    expect(t.fqn).toEqual(['demo', 'not_null_m_c']);
  });
});

describe('data test diagnostics', () => {
  const yaml = (tests: string) => `version: 2\nmodels:\n  - name: m\n    columns:\n      - name: c\n        data_tests:\n${tests}`;
  const compile = (tests: string) => compileFiles({ 'models/m.sql': 'select 1 as c', 'models/n.sql': 'select 1 as c', 'models/s.yml': yaml(tests) }).diags;

  it('reports an unknown test at its line with the closest name', () => {
    const [d] = find(compile('          - uniqe\n').items, 'E_TEST_UNKNOWN');
    expect(d).toMatchObject({ file: 'models/s.yml', line: 7, column: 13, hint: "did you mean 'unique'?" });
  });

  it('reports missing and unknown arguments and refs to nothing', () => {
    const ds = compile("          - accepted_values:\n              valuez: [1]\n          - relationships:\n              arguments:\n                to: ref('nn')\n                field: c\n").items;
    expect(find(ds, 'E_TEST_ARGUMENT').map((d) => [d.line, d.message, d.hint])).toEqual([
      [7, "test 'accepted_values' needs the argument 'values'", expect.stringContaining('arguments:')],
      [8, "test 'accepted_values' has no argument 'valuez'", "did you mean 'values'?"],
    ]);
    expect(find(ds, 'E_REF_UNKNOWN')[0]).toMatchObject({ line: 11, message: "to: ref('nn') does not match any model, seed or snapshot", hint: "did you mean 'n'?" });
  });

  it('rejects a bad severity, threshold or limit', () => {
    const ds = compile('          - unique:\n              config:\n                severity: fatal\n                warn_if: lots\n                limit: -1\n').items;
    expect(find(ds, 'E_TEST_CONFIG').map((d) => d.line)).toEqual([9, 10, 11]);
  });

  it('reports two tests with the same name', () => {
    const [d] = find(compile('          - unique\n          - unique\n').items, 'E_TEST_DUPLICATE');
    expect(d).toMatchObject({ line: 8, message: "two data tests are named 'unique_m_c'" });
  });

  it('points a render error of a test at its YAML line', () => {
    const { diags } = compileFiles({
      'models/m.sql': 'select 1 as c',
      'tests/generic/boom.sql': "{% test boom(model, column_name) %}{{ exceptions.raise_compiler_error('no ' ~ column_name) }}{% endtest %}",
      'models/s.yml': yaml('          - boom\n'),
    });
    // (the render-error line is compile.ts's, which reports nunjucks' 0-based line: 6 here for the test on line 7)
    const [d] = find(diags.items, 'E_COMPILER_RAISED');
    expect(d).toMatchObject({ file: 'models/s.yml', message: 'no c' });
    expect([6, 7]).toContain(d.line);
  });
});
