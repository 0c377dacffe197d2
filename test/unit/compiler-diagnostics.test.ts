// Each compile-time diagnostic: its code, its exact file:line:col, and that all problems come out at once.
import { describe, expect, it } from 'vitest';
import { compileFiles } from '../helpers/project.js';
import { formatDiagnostics, type Diagnostic } from '../../src/common/diagnostics.js';

const find = (ds: readonly Diagnostic[], code: string) => ds.filter((d) => d.code === code);

describe('compile diagnostics', () => {
  it('points an unknown ref at its line and column and suggests the closest name', () => {
    const { diags } = compileFiles({
      'models/orders.sql': 'select 1 as id',
      'models/report.sql': 'select *\nfrom {{ ref("order") }}',
    });
    const [d] = find(diags.items, 'E_REF_UNKNOWN');
    expect(d).toMatchObject({ file: 'models/report.sql', line: 2, column: 9 });
    expect(d.hint).toBe("did you mean 'orders'?");
    expect(formatDiagnostics([d])).toContain('models/report.sql:2:9');
    expect(formatDiagnostics([d])).toMatch(/> 2 \| from \{\{ ref\("order"\) \}\}\n {4}\| {9}\^/);
  });

  it('reports an undeclared source with the tables its source declares', () => {
    const { diags } = compileFiles({
      'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n',
      'models/a.sql': "select * from {{ source('raw', 'event') }}",
    });
    const [d] = find(diags.items, 'E_SOURCE_UNKNOWN');
    expect(d).toMatchObject({ file: 'models/a.sql', line: 1, column: 18 });
    expect(d.hint).toContain("source('raw', 'events')");
  });

  it('prints a cycle as a -> b -> a', () => {
    const { diags } = compileFiles({
      'models/a.sql': "select * from {{ ref('b') }}",
      'models/b.sql': "select * from {{ ref('a') }}",
    });
    const [d] = find(diags.items, 'E_CYCLE');
    expect(d.message).toBe('dependency cycle: a -> b -> a');
  });

  it('reports duplicate model names across folders', () => {
    const { diags } = compileFiles({ 'models/x/m.sql': 'select 1', 'models/y/m.sql': 'select 2' });
    const [d] = find(diags.items, 'E_DUPLICATE_NAME');
    expect(d.message).toContain("'m'");
    expect(d.hint).toContain('models/x/m.sql');
  });

  it('locates template syntax errors', () => {
    const { diags } = compileFiles({ 'models/bad.sql': 'select 1\n{% if true %}\nselect {{ ref("x" }}\n{% endif %}' });
    const [d] = find(diags.items, 'E_TEMPLATE_SYNTAX');
    expect(d).toMatchObject({ file: 'models/bad.sql', line: 3 });
    expect(d.column).toBeGreaterThan(10);
  });

  it('reports bad YAML with its line', () => {
    const { diags } = compileFiles({ 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n   description: x\n', 'models/a.sql': 'select 1' });
    const [d] = find(diags.items, 'E_YAML_SYNTAX');
    expect(d.file).toBe('models/schema.yml');
    expect(d.line).toBe(4);
  });

  it('flags a misspelt config key with a suggestion, in the file and in YAML', () => {
    const { diags } = compileFiles({
      'models/a.sql': "{{ config(materialised='table') }}\nselect 1",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    config:\n      tagz: [x]\n',
    });
    const errs = find(diags.items, 'E_CONFIG_KEY');
    expect(errs.map((d) => [d.file, d.line, d.hint])).toEqual(
      expect.arrayContaining([
        ['models/a.sql', 1, "did you mean 'materialized'?"],
        ['models/schema.yml', 5, "did you mean 'tags'?"],
      ]),
    );
  });

  it('flags a misspelt key in project folder configs at its line', () => {
    const { diags } = compileFiles({
      'tsdbt_project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    +materialized: table\n    +shema: gold\n',
      'models/a.sql': 'select 1',
    });
    const [d] = find(diags.items, 'E_CONFIG_KEY');
    expect(d).toMatchObject({ file: 'tsdbt_project.yml', line: 6, hint: "did you mean 'schema'?" });
  });

  it('reports every problem of the project at once', () => {
    const { diags } = compileFiles({
      'models/a.sql': "select * from {{ ref('nope') }}",
      'models/b.sql': "select * from {{ ref('nada') }}",
      'models/c.sql': '{{ oops(',
    });
    expect(diags.errors.map((d) => d.code).sort()).toEqual(['E_REF_UNKNOWN', 'E_REF_UNKNOWN', 'E_TEMPLATE_SYNTAX']);
  });

  it('reports an undefined var with the file', () => {
    const { diags } = compileFiles({ 'models/a.sql': "select {{ var('start_date') }}" });
    expect(find(diags.items, 'E_VAR_UNDEFINED')[0]).toMatchObject({ file: 'models/a.sql' });
  });

  it('reports an unknown materialization', () => {
    const { diags } = compileFiles({ 'models/a.sql': "{{ config(materialized='tabel') }}select 1" });
    expect(find(diags.items, 'E_CONFIG_KEY')[0]).toMatchObject({ message: "unknown materialization 'tabel'", hint: "did you mean 'table'?" });
  });

  it('places render errors at their 1-based line and column', () => {
    const { diags } = compileFiles({ 'models/a.sql': 'select 1\n  , {{ nope_fn(1) }}\n' });
    const [d] = find(diags.items, 'E_TEMPLATE_RENDER');
    expect(d).toMatchObject({ file: 'models/a.sql', line: 2, column: 15 });
    expect(d.message).toContain('nope_fn');
  });

  it('shows exceptions.raise_compiler_error messages as diagnostics', () => {
    const { diags } = compileFiles({ 'models/a.sql': "select 1,\n  {{ exceptions.raise_compiler_error('orders must have an id column') }}" });
    const [d] = find(diags.items, 'E_COMPILER_RAISED');
    expect(d).toMatchObject({ file: 'models/a.sql', line: 2, message: 'orders must have an id column' });
  });
});
