// The pure parts around test execution: unit-test definitions checked at compile time, fixture typing and CSV,
// where tests sit in a build (gates) and in a selection, thresholds, and freshness arithmetic.
import { describe, expect, it } from 'vitest';
import { compileFiles } from '../helpers/project.js';
import type { Diagnostic } from '../../src/common/diagnostics.js';
import { meetsThreshold, parseThreshold } from '../../src/compiler/data-test-spec.js';
import { isUnitTest } from '../../src/compiler/unit-tests.js';
import { fixtureRows, inferType, parseCsv, valuesSql } from '../../src/runner/unit-fixtures.js';
import { selectWithTests, testGates } from '../../src/runner/test-selection.js';
import { freshnessStatus, parseLoadedAt, type FreshnessCriteria } from '../../src/runner/freshness.js';

const find = (ds: readonly Diagnostic[], code: string) => ds.filter((d) => d.code === code);

const MODELS = {
  'models/a.sql': 'select 1 as id',
  'models/e.sql': "{{ config(materialized='ephemeral') }}select * from {{ ref('a') }}",
  'models/b.sql': "select * from {{ ref('a') }} join {{ ref('e') }} using (id)",
  'models/c.sql': "select * from {{ ref('b') }}",
  'models/d.sql': "select * from {{ ref('a') }} join {{ ref('b') }} using (id)",
  'models/s.yml': `version: 2
models:
  - name: a
    columns:
      - name: id
        data_tests: [unique]
  - name: b
    columns:
      - name: id
        data_tests:
          - not_null
          - relationships: {to: ref('a'), field: id}
`,
};

describe('unit test definitions', () => {
  it('become test nodes attached to their model', () => {
    const { project, diags } = compileFiles({ ...MODELS, 'models/u.yml': "unit_tests:\n  - name: t1\n    model: b\n    given:\n      - {input: ref('a'), rows: [{id: 1}]}\n      - {input: ref('e'), rows: [{id: 1}]}\n    expect: {rows: [{id: 1}]}\n" });
    expect(diags.errors).toEqual([]);
    const t = project!.manifest.nodes['unit_test.demo.b.t1'];
    expect(t.resource_type).toBe('test');
    expect(t.attached_node).toBe('model.demo.b');
    expect(isUnitTest(t) && t.unit_test.given.map((g) => g.target)).toEqual(['model.demo.a', 'model.demo.e']);
    expect(project!.graph.parentMap['unit_test.demo.b.t1']).toEqual([]);
  });

  it('report an unknown model, an input the model does not read and inputs left out, at their YAML line', () => {
    const { diags } = compileFiles({
      ...MODELS,
      'models/u.yml': "unit_tests:\n  - name: t1\n    model: bb\n  - name: t2\n    model: b\n    given:\n      - {input: ref('c'), rows: []}\n    expect: {rows: []}\n  - name: t3\n    model: c\n    given:\n      - {input: this, rows: []}\n    expect: {rows: []}\n",
    });
    expect(find(diags.items, 'E_UNIT_TEST').map((d) => [d.line, d.message]).sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual([
      [3, "unit test 't1': model 'bb' does not exist"],
      [6, "unit test 't2' gives no rows for ref('a'), ref('e')"],
      [7, "model 'b' does not read ref('c')"],
      [11, "unit test 't3' gives no rows for ref('b')"],
      [12, "input 'this' is only for incremental models; 'c' is view"],
    ]);
  });
});

describe('fixtures', () => {
  it('types columns from their values', () => {
    expect(inferType([1, 2, null], false)).toBe('INTEGER');
    expect(inferType([1, 2.25], false)).toBe('DECIMAL(18, 2)');
    expect(inferType(['2024-01-01', '2024-01-02 10:00:00'], false)).toBe('TIMESTAMP');
    expect(inferType(['2024-01-01'], false)).toBe('DATE');
    expect(inferType(['7', '8'], false)).toBe('VARCHAR');
    expect(inferType(['7', '8'], true)).toBe('INTEGER');
    expect(inferType(['true', 'false'], true)).toBe('BOOLEAN');
    expect(inferType([null], false)).toBe('VARCHAR');
  });

  it('reads csv with quotes, empty cells as null', () => {
    expect(parseCsv('a,b\n1,"x, ""y"""\n2,\n')).toEqual([['a', 'b'], ['1', 'x, "y"'], ['2', '']]);
    expect(fixtureRows({ format: 'csv', rows: 'a,b\n1,\n' })).toEqual([{ a: '1', b: null }]);
  });

  it('writes one cast per cell, and a typed empty select for no rows', () => {
    expect(valuesSql(['id', 'name'], ['INTEGER', 'VARCHAR'], [{ id: 1, name: "o'k" }, { id: 2 }])).toBe(
      `select * from (values\n  (cast(1 as INTEGER), cast('o''k' as VARCHAR)),\n  (cast(2 as INTEGER), cast(null as VARCHAR))\n) as t("id", "name")`,
    );
    expect(valuesSql(['id'], ['INTEGER'], [])).toBe('select cast(null as INTEGER) as "id" where false');
  });
});

describe('tests in a run', () => {
  const { project } = compileFiles(MODELS);
  const m = project!.manifest;
  const all = new Set(Object.keys(m.nodes));
  const nodes = Object.values(m.nodes);

  it('gates a node on the tests of its parents, through ephemeral models, and a two-model test only where both are parents', () => {
    const gates = testGates(project!, nodes, all);
    expect(gates.get('model.demo.b')).toEqual(['test.demo.unique_a_id']);
    expect(gates.get('model.demo.c')?.sort()).toEqual(['test.demo.not_null_b_id']);
    expect(gates.get('model.demo.d')?.sort()).toEqual(['test.demo.not_null_b_id', 'test.demo.relationships_b_id__id__ref_a_', 'test.demo.unique_a_id']);
    expect(gates.get('model.demo.a')).toBeUndefined();
  });

  it('selects the tests of selected nodes and drops the tests of excluded ones', () => {
    const sel = (select?: string[], exclude?: string[]) => [...selectWithTests(m, project!.graph.graph, { select, exclude })].filter((id) => id.startsWith('test.')).sort();
    expect(sel(['a'])).toEqual(['test.demo.relationships_b_id__id__ref_a_', 'test.demo.unique_a_id']);
    expect(sel(undefined, ['a'])).toEqual(['test.demo.not_null_b_id']);
  });
});

describe('thresholds and freshness', () => {
  it('reads warn_if / error_if conditions', () => {
    expect(parseThreshold('>10')).toEqual({ op: '>', value: 10 });
    expect(parseThreshold(' <> 0')).toEqual({ op: '!=', value: 0 });
    expect(parseThreshold('more')).toBeUndefined();
    expect(meetsThreshold(11, parseThreshold('>10')!)).toBe(true);
    expect(meetsThreshold(10, parseThreshold('>10')!)).toBe(false);
  });

  it('reads engine timestamps, zone-less as UTC', () => {
    expect(parseLoadedAt('2024-01-18 01:01:51')?.toISOString()).toBe('2024-01-18T01:01:51.000Z');
    expect(parseLoadedAt('2024-01-18 03:01:51.123456+02')?.toISOString()).toBe('2024-01-18T01:01:51.123Z');
    expect(parseLoadedAt('2024-01-18 01:01:51.000000 UTC')?.toISOString()).toBe('2024-01-18T01:01:51.000Z');
    expect(parseLoadedAt('2024-01-18')?.toISOString()).toBe('2024-01-18T00:00:00.000Z');
    expect(parseLoadedAt('yesterday')).toBeUndefined();
  });

  it('warns past warn_after and errors past error_after', () => {
    const c: FreshnessCriteria = { warn_after: { count: 12, period: 'hour' }, error_after: { count: 1, period: 'day' }, filter: null };
    expect([3600, 13 * 3600, 25 * 3600].map((s) => freshnessStatus(s, c))).toEqual(['pass', 'warn', 'error']);
    expect(freshnessStatus(10 * 86400, { ...c, error_after: null })).toBe('warn');
  });
});
