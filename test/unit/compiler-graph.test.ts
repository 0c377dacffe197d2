// Compiled output: relations, config merging, ephemeral inlining, vars and schema naming.
import { describe, expect, it } from 'vitest';
import { compileFiles } from '../helpers/project.js';

const node = (p: ReturnType<typeof compileFiles>['project'], name: string) => Object.values(p!.manifest.nodes).find((n) => n.name === name)!;

describe('compile', () => {
  it('resolves refs to quoted relations and records edges', () => {
    const { project, diags } = compileFiles({ 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
    expect(diags.errors).toEqual([]);
    expect(node(project, 'b').compiled_code).toBe('select * from "demo"."main"."a"');
    expect(project!.manifest.parent_map['model.demo.b']).toEqual(['model.demo.a']);
    expect(project!.manifest.child_map['model.demo.a']).toEqual(['model.demo.b']);
  });

  it('merges folder, YAML and file configs with file config winning and tags accumulating', () => {
    const { project } = compileFiles({
      'tsdbt_project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    +tags: [all]\n    gold:\n      +materialized: table\n      +schema: gold\n      +tags: [g]\n',
      'models/gold/m.sql': "{{ config(tags=['file'], alias='mm') }}select 1",
      'models/gold/v.sql': "{{ config(materialized='view') }}select 1",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    config:\n      tags: [yaml]\n',
    });
    const m = node(project, 'm');
    expect(m.config.materialized).toBe('table');
    expect(m.tags).toEqual(['all', 'g', 'yaml', 'file']);
    expect(m.schema).toBe('main_gold');
    expect(m.alias).toBe('mm');
    expect(m.relation_name).toBe('"demo"."main_gold"."mm"');
    expect(node(project, 'v').config.materialized).toBe('view');
  });

  it('uses a project generate_schema_name macro', () => {
    const { project } = compileFiles({
      'macros/s.sql': '{% macro generate_schema_name(custom, node) %}{{ custom if custom else target.schema }}{% endmacro %}',
      'models/m.sql': "{{ config(schema='gold') }}select 1",
    });
    expect(node(project, 'm').schema).toBe('gold');
  });

  it('inlines ephemeral models as CTEs, merged into an existing WITH', () => {
    const { project } = compileFiles({
      'models/base.sql': 'select 1 as id',
      'models/eph1.sql': "{{ config(materialized='ephemeral') }}select * from {{ ref('base') }}",
      'models/eph2.sql': "{{ config(materialized='ephemeral') }}select * from {{ ref('eph1') }}",
      'models/final.sql': "with x as (select * from {{ ref('eph2') }})\nselect * from x",
    });
    expect(node(project, 'final').compiled_code).toBe(
      'with __dbt__cte__eph1 as (\nselect * from "demo"."main"."base"\n), __dbt__cte__eph2 as (\nselect * from __dbt__cte__eph1\n), x as (select * from __dbt__cte__eph2)\nselect * from x',
    );
  });

  it('renders var() from the project and from --vars, and env_var with a default', () => {
    const { project } = compileFiles(
      { 'tsdbt_project.yml': 'name: demo\nprofile: demo\nvars:\n  a: 1\n  b: 2\n', 'models/m.sql': "select {{ var('a') }}, {{ var('b') }}, '{{ env_var('TSDBT_NOPE', 'dflt') }}'" },
      { b: 3 },
    );
    expect(node(project, 'm').compiled_code).toBe("select 1, 3, 'dflt'");
  });

  it('calls project macros, including through adapter.dispatch', () => {
    const { project } = compileFiles({
      'macros/m.sql': "{% macro cents(c) %}({{ c }} / 100.0){% endmacro %}\n{% macro default__now() %}now(){% endmacro %}\n{% macro duckdb__now() %}current_timestamp{% endmacro %}\n{% macro now() %}{{ return(adapter.dispatch('now')()) }}{% endmacro %}",
      'models/m.sql': 'select {{ cents("amount") }}, {{ now() }}',
    });
    expect(node(project, 'm').compiled_code).toBe('select (amount / 100.0), current_timestamp');
  });

  it('exposes this and is_incremental', () => {
    const { project } = compileFiles({ 'models/m.sql': "select '{{ this }}' {% if is_incremental() %}incremental{% endif %}" });
    expect(node(project, 'm').compiled_code).toBe(`select '"demo"."main"."m"' `);
  });

  it('skips disabled models', () => {
    const { project } = compileFiles({ 'models/m.sql': '{{ config(enabled=false) }}select 1', 'models/n.sql': 'select 1' });
    expect(Object.keys(project!.manifest.nodes)).toEqual(['model.demo.n']);
  });
});
