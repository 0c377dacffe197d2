// dbt builtins without a warehouse: modules.datetime / re, run_started_at, `execute`, execution-time queries in
// passes (run_query, statement + load_result, get_columns_in_relation, get_relation answered by a fake warehouse),
// adapter.dispatch search orders, selectors.yml translation, docs blocks and the execution-need analysis.
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/common/diagnostics.js';
import { QueryBook, renderInPasses, type QueryAnswer, type QueryRequest } from '../../src/compiler/builtins/query-book.js';
import { MacroRegistry } from '../../src/compiler/builtins/dispatch.js';
import { executionAnalysis } from '../../src/compiler/builtins/setup.js';
import { loadSelectors, resolveSelector } from '../../src/compiler/selectors.js';
import { parseDocsBlocks } from '../../src/compiler/docs-blocks.js';
import { compileFiles, writeProject } from '../helpers/project.js';

/** Renders one model with `execute` true, answering queries from `answer`; returns the SQL and what was asked. */
async function renderAtRun(model: string, answer: (req: QueryRequest) => QueryAnswer, extra: Record<string, string> = {}) {
  const { project, diags } = compileFiles({ 'models/m.sql': model, ...extra });
  expect(diags.errors.map((d) => d.message)).toEqual([]);
  const asked: QueryRequest[] = [];
  const book = new QueryBook();
  const sink = new Diagnostics();
  const sql = await renderInPasses(book, () => project!.render('model.demo.m', { isIncremental: false, execute: true, queries: book }, sink), async (req) => {
    asked.push(req);
    return answer(req);
  });
  return { sql: sql?.trim(), asked, compiled: project!.manifest.nodes['model.demo.m'].compiled_code?.trim(), needs: project!.needsExecution('model.demo.m'), sink };
}

const table = (columns: string[], rows: unknown[][]): QueryAnswer => ({
  kind: 'sql',
  result: { columns: columns.map((name) => ({ name, type: 'INTEGER' })), rows: rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))) },
});

describe('modules.datetime and run_started_at', () => {
  const render = (src: string) => compileFiles({ 'models/m.sql': src }).project!.manifest.nodes['model.demo.m'].compiled_code;

  it('formats, parses and shifts dates as Python does', () => {
    expect(render("{{ modules.datetime.datetime(2024, 2, 29, 13, 5).strftime('%Y-%m-%d %H:%M %a %b %j') }}")).toBe('2024-02-29 13:05 Thu Feb 060');
    expect(render("{{ modules.datetime.datetime.strptime('2024-03-01', '%Y-%m-%d') }}")).toBe('2024-03-01 00:00:00');
    expect(render("{{ modules.datetime.date(2024, 1, 31).isoformat() }}")).toBe('2024-01-31');
    expect(render("{{ modules.datetime.datetime(2024, 3, 1).add(modules.datetime.timedelta(days=-1)).strftime('%d') }}")).toBe('29');
    expect(render('{{ modules.datetime.timedelta(days=1, hours=2) }}')).toBe('1 day, 2:00:00');
    expect(render('{{ modules.datetime.datetime.utcnow().year }} {{ modules.datetime.date.today().year }}')).toBe(`${new Date().getUTCFullYear()} ${new Date().getFullYear()}`);
    expect(render("{{ modules.pytz.utc }} {{ modules.datetime.datetime.now(modules.pytz.utc).strftime('%z') }}")).toBe('UTC +0000');
    expect(render("{{ modules.datetime.datetime(2024, 1, 2) > modules.datetime.datetime(2024, 1, 1) }}")).toBe('True');
    expect(render("{{ modules.datetime.datetime(2024, 1, 2, 3, 4, 5).replace(hour=0).isoformat() }}")).toBe('2024-01-02T00:04:05');
  });

  it('run_started_at is an aware UTC datetime', () => {
    expect(render('{{ run_started_at }}')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/);
    expect(render("{{ run_started_at.strftime('%Y') }}")).toBe(String(new Date().getUTCFullYear()));
  });

  it('modules.re matches, substitutes and finds', () => {
    expect(render("{{ modules.re.sub('(\\\\d+)-(\\\\d+)', '\\\\2/\\\\1', 'a 12-34 b') }}")).toBe('a 34/12 b');
    expect(render("{{ modules.re.search('v(?P<n>\\\\d+)', 'model_v12').group('n') }}")).toBe('12');
    expect(render("{{ modules.re.findall('[a-z]+', 'ab 1 cd') }}")).toBe("['ab', 'cd']");
    expect(render("{{ modules.re.match('x', 'ax') is none }}")).toBe('True');
  });
});

describe('config.get, exceptions, fromjson', () => {
  it('reads the merged config of the node being rendered', () => {
    const { project } = compileFiles({
      'models/m.sql': "{{ config(materialized='table', unique_key='id') }}{{ config.get('materialized') }} {{ config.get('unique_key') }} {{ config.get('nope', 'dflt') }} {{ fromjson('[1, 2]')[1] }} {{ tojson({'a': 1}) }}",
      'models/e.sql': "{{ exceptions.raise_not_implemented('no way') }}",
    });
    expect(project!.manifest.nodes['model.demo.m'].compiled_code).toBe('table id dflt 2 {"a":1}');
  });
});

describe('execution-time queries', () => {
  it('compiles with execute false and no warehouse; renders again at run time with the answers', async () => {
    const model = "{% set r = run_query('select max(id) as m from t') %}{% if execute %}{{ r.columns[0].values()[0] }}|{{ r.rows[0]['m'] }}|{{ r | length }}{% else %}parse{% endif %}";
    const out = await renderAtRun(model, () => table(['m'], [[41n]]));
    expect(out.compiled).toBe('parse');
    expect(out.needs).toBe(true);
    expect(out.sql).toBe('41|41|1');
    expect(out.asked).toEqual([{ kind: 'sql', sql: 'select max(id) as m from t' }]);
  });

  it('runs statements in order, each once, a later one only after the earlier answers arrived', async () => {
    const model = `{% call statement('a', fetch_result=True) %}select 1{% endcall %}
{%- set n = load_result('a')['data'][0][0] if execute else 0 -%}
{% call statement('b', fetch_result=True) %}select {{ n }} + 1{% endcall %}
{{- load_result('b')['data'][0][0] if execute else '' }}`;
    const out = await renderAtRun(model, (req) => (req.kind === 'sql' && req.sql === 'select 1' ? table(['x'], [[1]]) : table(['x'], [[2]])));
    expect(out.sql).toBe('2');
    expect(out.asked.map((r) => (r.kind === 'sql' ? r.sql : r.kind))).toEqual(['select 1', 'select 1 + 1']);
  });

  it('answers get_columns_in_relation and get_relation from the warehouse', async () => {
    const model = `{% set cols = adapter.get_columns_in_relation(ref('src')) %}{{ cols | map(attribute='name') | join(',') }}:{% if cols %}{{ cols[1].data_type }}:{{ cols[0].is_number() }}{% endif %}
{%- set rel = adapter.get_relation(database=this.database, schema=this.schema, identifier='src') %} {{ rel.identifier if rel is not none else 'missing' }}`;
    const out = await renderAtRun(model, (req) => {
      if (req.kind === 'columns') return { kind: 'columns', columns: [{ name: 'id', type: 'INTEGER' }, { name: 'price', type: 'DECIMAL(10,2)' }] };
      if (req.kind === 'relation') return { kind: 'relation', exists: { kind: 'table', relation: req.relation } };
      throw new Error('unexpected');
    }, { 'models/src.sql': 'select 1 as id' });
    expect(out.sql).toBe('id,price:DECIMAL(10,2):True src');
    expect(out.compiled).toBe(': missing');
  });

  it('touching `execute` alone marks a node for an execution-time render; plain models are not', () => {
    const { project } = compileFiles({ 'models/a.sql': '{% if execute %}1{% endif %}', 'models/b.sql': 'select 1', 'macros/m.sql': "{% macro cols(r) %}{{ return(adapter.get_columns_in_relation(r)) }}{% endmacro %}", 'models/c.sql': "{{ cols(ref('b')) }}" });
    expect(project!.needsExecution('model.demo.a')).toBe(true);
    expect(project!.needsExecution('model.demo.b')).toBe(false);
    expect(project!.needsExecution('model.demo.c')).toBe(true);
  });

  it('gives up on a template that keeps asking new questions', async () => {
    const book = new QueryBook();
    let i = 0;
    await expect(renderInPasses(book, () => book.ask({ kind: 'sql', sql: `select ${i++}` }), async () => table(['x'], [[1]]), 5)).rejects.toThrow(/more than 5 execution-time queries/);
  });
});

describe('adapter.dispatch', () => {
  const fns = (names: string[]) => new Map(names.map((n) => [n, () => n]));
  const registry = (dispatch: { macroNamespace: string; searchOrder: string[] }[] = []) => {
    const flat = new Map<string, unknown>([['default__x', () => 'flat default__x']]);
    const r = new MacroRegistry('proj', new Set(['pkg']), dispatch, (n) => flat.get(n));
    r.add('pkg', fns(['default__x', 'duckdb__y']));
    r.add('proj', fns(['default__y']));
    return r;
  };
  const call = (r: MacroRegistry, ...args: unknown[]) => (r.dispatch('duckdb', args) as () => string)();

  it('searches the root project then the package for an installed package namespace, adapter prefix first', () => {
    expect(call(registry(), 'x', 'pkg')).toBe('default__x');
    expect(call(registry(), 'y', 'pkg')).toBe('default__y'); // proj's default__y before pkg's duckdb__y
  });

  it('follows the project dispatch: search_order, and the flat namespace without a namespace', () => {
    expect(call(registry([{ macroNamespace: 'pkg', searchOrder: ['pkg', 'proj'] }]), 'y', 'pkg')).toBe('duckdb__y');
    expect(call(registry(), 'x')).toBe('flat default__x');
    expect(call(registry(), 'x', { __keywords: true, macro_namespace: 'pkg' })).toBe('default__x');
  });

  it('names every candidate it tried when none exists', () => {
    expect(() => call(registry(), 'z', 'pkg')).toThrow("Searched for: 'proj.duckdb__z', 'proj.default__z', 'pkg.duckdb__z', 'pkg.default__z'");
    expect(() => call(registry(), 'pkg.z')).toThrow(/Did you mean `adapter.dispatch\("z", macro_namespace="pkg"\)`/);
  });
});

describe('selectors.yml', () => {
  const sel = (yml: string, name: string) => resolveSelector(loadSelectors(writeProject({ 'selectors.yml': yml }))!, name);

  it('translates methods, graph operators, unions, intersections, excludes and references', () => {
    const yml = `selectors:
  - name: a
    definition: {method: tag, value: nightly, parents: true, children_depth: 2}
  - name: b
    definition:
      union:
        - a
        - method: path
          value: models/marts
          childrens_parents: true
        - exclude: [{method: resource_type, value: seed}]
  - name: c
    definition:
      intersection:
        - {union: ['tag:x', 'tag:y']}
        - {method: selector, value: a}
`;
    expect(sel(yml, 'a')).toEqual({ select: ['+tag:nightly+2'], exclude: [] });
    expect(sel(yml, 'b')).toEqual({ select: ['a', '@path:models/marts'], exclude: ['resource_type:seed'] });
    expect(sel(yml, 'c')).toEqual({ select: ['tag:x,+tag:nightly+2', 'tag:y,+tag:nightly+2'], exclude: [] });
  });

  it('reports unknown and self-referencing selectors', () => {
    const yml = 'selectors:\n  - name: loop\n    definition: {method: selector, value: loop}\n';
    expect(() => sel(yml, 'lop')).toThrow(/no selector named 'lop'/);
    expect(() => sel(yml, 'loop')).toThrow(/refers to itself/);
  });
});

describe('docs blocks and the execution analysis', () => {
  it('reads {% docs %} blocks and resolves doc() in descriptions', () => {
    const diags = new Diagnostics();
    const blocks = parseDocsBlocks([{ path: 'models/d.md', resourcePath: 'd.md', source: 'x\n{% docs status %}\nThe *status*.\n{% enddocs %}\n' }], 'p', diags);
    expect(blocks).toEqual([{ name: 'status', package: 'p', contents: 'The *status*.', file: 'models/d.md', line: 2 }]);
    const { project } = compileFiles({ 'models/a.sql': 'select 1 as s', 'models/d.md': '{% docs status %}\nThe status.\n{% enddocs %}', 'models/s.yml': "version: 2\nmodels:\n  - name: a\n    description: 'Rows. {{ doc(\"status\") }}'\n    columns:\n      - name: s\n        description: '{{ doc(\"status\") }}'\n" });
    expect(project!.manifest.nodes['model.demo.a'].description).toBe('Rows. The status.');
    expect(project!.manifest.nodes['model.demo.a'].columns.s.description).toBe('The status.');
  });

  it('follows macro calls and dispatch to the builtins that read the warehouse', () => {
    const macro = (name: string, body: string) => ({ unique_id: `macro.p.${name}`, name, package_name: 'p', original_file_path: 'm.sql', path: 'm.sql', macro_sql: `{% macro ${name}() %}${body}{% endmacro %}`, description: '', arguments: [] });
    const reads = executionAnalysis([macro('default__cols', '{{ adapter.get_columns_in_relation(x) }}'), macro('cols', "{{ adapter.dispatch('cols', 'p')() }}"), macro('wrap', '{{ p.cols() }}'), macro('pure', 'select 1')]);
    expect(reads('{{ wrap() }}')).toBe(true);
    expect(reads('{{ pure() }}')).toBe(false);
    expect(reads('{% if execute %}{% endif %}')).toBe(true);
  });
});
