// tsdbt's own generic data tests (unique, not_null, accepted_values, relationships), written as ordinary macros in
// portable SQL (DuckDB, PostgreSQL, Trino) and loaded before the project's macros, so a project `{% test unique %}`
// or `{% macro test_unique %}` of the same name replaces the built-in one. Each returns the failing rows, as dbt's.
import type nunjucks from 'nunjucks';
import type { Diagnostics } from '../common/diagnostics.js';
import { loadMacros, type LoadedMacros } from './macros.js';

export const BUILTIN_TESTS_PATH = '<tsdbt>/macros/generic_tests.sql';

/** Failing rows: every value that appears more than once, with how often. */
const UNIQUE = `{% test unique(model, column_name) -%}
select
    {{ column_name }} as unique_field,
    count(*) as n_records
from {{ model }}
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1
{%- endtest %}`;

/** Failing rows: the rows whose column is null. */
const NOT_NULL = `{% test not_null(model, column_name) -%}
select *
from {{ model }}
where {{ column_name }} is null
{%- endtest %}`;

/** Failing rows: each value outside the list, with how often it occurs (nulls are not checked, as in dbt). */
const ACCEPTED_VALUES = `{% test accepted_values(model, column_name, values, quote=true) -%}
with all_values as (
    select
        {{ column_name }} as value_field,
        count(*) as n_records
    from {{ model }}
    group by {{ column_name }}
)
select *
from all_values
where value_field not in (
    {%- for value in values -%}
        {%- if quote -%}
        '{{ value | string | replace("'", "''") }}'
        {%- else -%}
        {{ value }}
        {%- endif -%}
        {%- if not loop.last %}, {% endif -%}
    {%- endfor -%}
)
{%- endtest %}`;

/** Failing rows: child values (not null) with no matching parent row. */
const RELATIONSHIPS = `{% test relationships(model, column_name, to, field) -%}
with child as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
),
parent as (
    select {{ field }} as to_field
    from {{ to }}
)
select from_field
from child
left join parent
    on child.from_field = parent.to_field
where parent.to_field is null
{%- endtest %}`;

export const BUILTIN_TESTS_SQL = [UNIQUE, NOT_NULL, ACCEPTED_VALUES, RELATIONSHIPS].join('\n\n') + '\n';

/**
 * Loads the built-in test macros into `env` under the `tsdbt` package, plus `tsdbt_where_subquery`, which the
 * synthesized test calls use to apply a test's `where:` config to the tested relation (dbt's get_where_subquery).
 */
export function loadBuiltinTests(env: nunjucks.Environment, diags: Diagnostics): LoadedMacros {
  env.addGlobal('tsdbt_where_subquery', whereSubquery);
  return loadMacros(env, [{ path: BUILTIN_TESTS_PATH, resourcePath: 'generic_tests.sql', source: BUILTIN_TESTS_SQL }], 'tsdbt', diags);
}

/** The relation itself, or `(select * from relation where ...) dbt_subquery` when the test has a where config. */
export function whereSubquery(relation: unknown, where: unknown): unknown {
  const condition = where === undefined || where === null ? '' : String(where).trim();
  return condition ? `(select * from ${String(relation)} where ${condition}) dbt_subquery` : relation;
}
