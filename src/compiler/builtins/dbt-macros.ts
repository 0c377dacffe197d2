// The `dbt` package bundled with tsdbt: dbt's cross-database macros (callable as `dbt.x()` and bare `x()`) with
// per-engine spellings for DuckDB, PostgreSQL and Trino, written as ordinary Jinja macros that dispatch through
// `adapter.dispatch('x', 'dbt')`, so a project can override any `default__x` / `<adapter>__x` as in dbt. The SQL
// each engine gets follows what dbt-core 1.11, dbt-duckdb, dbt-postgres and dbt-trino generate (all Apache-2.0),
// so results match dbt's. Date/time and naming macros live in dbt-macros-dates.ts.

/** Dispatching entry points: `name(args)` -> `adapter.dispatch('name', 'dbt')(args)`. */
const ENTRY: [string, string][] = [
  ['any_value', 'expression'], ['bool_or', 'expression'], ['cast', 'field, type'], ['concat', 'fields'],
  ['hash', 'field'], ['length', 'expression'], ['position', 'substring_text, string_text'],
  ['replace', 'field, old_chars, new_chars'], ['right', 'string_text, length_expression'], ['safe_cast', 'field, type'],
  ['split_part', 'string_text, delimiter_text, part_number'], ['escape_single_quotes', 'expression'],
  ['string_literal', 'value'], ['except', ''], ['intersect', ''], ['equals', 'expr1, expr2'],
  ['array_append', 'array, new_element'], ['array_concat', 'array_1, array_2'],
  ['type_string', ''], ['type_timestamp', ''], ['type_float', ''], ['type_numeric', ''], ['type_bigint', ''],
  ['type_int', ''], ['type_boolean', ''], ['generate_series', 'upper_bound'], ['get_powers_of_two', 'upper_bound'],
];

const entries = ENTRY.map(
  ([name, params]) => `{% macro ${name}(${params}) -%}
  {{ return(adapter.dispatch('${name}', 'dbt')(${params})) }}
{%- endmacro %}`,
).join('\n');

const DEFAULTS = String.raw`
{% macro default__any_value(expression) -%} any_value({{ expression }}) {%- endmacro %}
{% macro duckdb__any_value(expression) -%} arbitrary({{ expression }}) {%- endmacro %}
{% macro postgres__any_value(expression) -%} min({{ expression }}) {%- endmacro %}
{% macro trino__any_value(expression) -%} min({{ expression }}) {%- endmacro %}

{% macro default__bool_or(expression) -%} bool_or({{ expression }}) {%- endmacro %}

{% macro default__cast(field, type) -%} cast({{ field }} as {{ type }}) {%- endmacro %}

{% macro cast_bool_to_text(field) -%}
  {{ adapter.dispatch('cast_bool_to_text', 'dbt')(field) }}
{%- endmacro %}
{% macro default__cast_bool_to_text(field) -%} cast({{ field }} as {{ api.Column.translate_type('string') }}) {%- endmacro %}

{% macro default__concat(fields) -%} {{ fields | join(' || ') }} {%- endmacro %}

{% macro default__hash(field) -%} md5(cast({{ field }} as {{ api.Column.translate_type('string') }})) {%- endmacro %}
{% macro trino__hash(field) -%} lower(to_hex(md5(to_utf8(cast({{ field }} as varchar))))) {%- endmacro %}

{% macro default__length(expression) -%} length({{ expression }}) {%- endmacro %}

{% macro default__position(substring_text, string_text) -%} position({{ substring_text }} in {{ string_text }}) {%- endmacro %}

{% macro default__replace(field, old_chars, new_chars) -%} replace({{ field }}, {{ old_chars }}, {{ new_chars }}) {%- endmacro %}

{% macro default__right(string_text, length_expression) -%} right({{ string_text }}, {{ length_expression }}) {%- endmacro %}
{% macro trino__right(string_text, length_expression) -%}
  case when {{ length_expression }} = 0 then '' else substr({{ string_text }}, -1 * ({{ length_expression }})) end
{%- endmacro %}

{% macro default__safe_cast(field, type) -%} cast({{ field }} as {{ type }}) {%- endmacro %}
{% macro trino__safe_cast(field, type) -%} try_cast({{ field }} as {{ type }}) {%- endmacro %}

{% macro default__split_part(string_text, delimiter_text, part_number) -%}
  split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }})
{%- endmacro %}
{% macro _split_part_negative(string_text, delimiter_text, part_number) -%}
  split_part({{ string_text }}, {{ delimiter_text }},
    length({{ string_text }}) - length(replace({{ string_text }}, {{ delimiter_text }}, '')) + 2 + {{ part_number }})
{%- endmacro %}
{% macro duckdb__split_part(string_text, delimiter_text, part_number) -%}
  string_split({{ string_text }}, {{ delimiter_text }})[ {{ part_number }} ]
{%- endmacro %}
{% macro postgres__split_part(string_text, delimiter_text, part_number) -%}
  {% if part_number >= 0 %}{{ dbt.default__split_part(string_text, delimiter_text, part_number) }}{% else %}{{ dbt._split_part_negative(string_text, delimiter_text, part_number) }}{% endif %}
{%- endmacro %}
{% macro trino__split_part(string_text, delimiter_text, part_number) -%}
  {% if part_number >= 0 %}{{ dbt.default__split_part(string_text, delimiter_text, part_number) }}{% else %}{{ dbt._split_part_negative(string_text, delimiter_text, part_number) }}{% endif %}
{%- endmacro %}

{% macro default__escape_single_quotes(expression) -%} {{ expression | replace("'", "''") }} {%- endmacro %}

{% macro default__string_literal(value) -%} '{{ value }}' {%- endmacro %}

{% macro default__except() %} except {% endmacro %}
{% macro default__intersect() %} intersect {% endmacro %}

{% macro default__equals(expr1, expr2) -%} ({{ expr1 }} = {{ expr2 }}) {%- endmacro %}

{% macro listagg(measure, delimiter_text="','", order_by_clause=none, limit_num=none) -%}
  {{ return(adapter.dispatch('listagg', 'dbt')(measure, delimiter_text, order_by_clause, limit_num)) }}
{%- endmacro %}
{% macro default__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
  {% if limit_num -%}
  array_to_string(array_slice(array_agg({{ measure }}){% if order_by_clause %} within group ({{ order_by_clause }}){% endif %}, 0, {{ limit_num }}), {{ delimiter_text }})
  {%- else -%}
  listagg({{ measure }}, {{ delimiter_text }}){% if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
  {%- endif %}
{%- endmacro %}
{% macro duckdb__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
  {% if limit_num -%}
  list_aggr((array_agg({{ measure }} {{ order_by_clause or '' }}))[1:{{ limit_num }}], 'string_agg', {{ delimiter_text }})
  {%- else -%}
  string_agg({{ measure }}, {{ delimiter_text }} {{ order_by_clause or '' }})
  {%- endif %}
{%- endmacro %}
{% macro postgres__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
  {% if limit_num -%}
  array_to_string((array_agg({{ measure }} {{ order_by_clause or '' }}))[1:{{ limit_num }}], {{ delimiter_text }})
  {%- else -%}
  string_agg({{ measure }}, {{ delimiter_text }} {{ order_by_clause or '' }})
  {%- endif %}
{%- endmacro %}
{% macro trino__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
  {%- set collected = 'array_agg(' ~ measure ~ ' ' ~ (order_by_clause or '') ~ ')' -%}
  {%- if limit_num %}{% set collected = 'slice(' ~ collected ~ ', 1, ' ~ limit_num ~ ')' %}{% endif -%}
  array_join({{ collected }}, {{ delimiter_text }})
{%- endmacro %}

{% macro default__array_append(array, new_element) -%} array_append({{ array }}, {{ new_element }}) {%- endmacro %}
{% macro default__array_concat(array_1, array_2) -%} array_cat({{ array_1 }}, {{ array_2 }}) {%- endmacro %}
{% macro trino__array_concat(array_1, array_2) -%} concat({{ array_1 }}, {{ array_2 }}) {%- endmacro %}
{% macro array_construct(inputs=[], data_type=api.Column.translate_type('integer')) -%}
  {{ return(adapter.dispatch('array_construct', 'dbt')(inputs, data_type)) }}
{%- endmacro %}
{% macro default__array_construct(inputs, data_type) -%}
  {% if inputs | length > 0 %}array[ {{ inputs | join(' , ') }} ]{% else %}array[]::{{ data_type }}[]{% endif %}
{%- endmacro %}
{% macro trino__array_construct(inputs, data_type) -%}
  {% if not inputs %}null{% else %}array[ {{ inputs | join(' , ') }} ]{% endif %}
{%- endmacro %}

{% macro default__type_string() %}{{ return(api.Column.translate_type('string')) }}{% endmacro %}
{% macro trino__type_string() %}{{ return('varchar') }}{% endmacro %}
{% macro default__type_timestamp() %}{{ return(api.Column.translate_type('timestamp')) }}{% endmacro %}
{% macro default__type_float() %}{{ return(api.Column.translate_type('float')) }}{% endmacro %}
{% macro trino__type_float() %}{{ return('double') }}{% endmacro %}
{% macro default__type_numeric() %}{{ return(api.Column.numeric_type('numeric', 28, 6)) }}{% endmacro %}
{% macro trino__type_numeric() %}{{ return('decimal(28, 6)') }}{% endmacro %}
{% macro default__type_bigint() %}{{ return(api.Column.translate_type('bigint')) }}{% endmacro %}
{% macro default__type_int() %}{{ return(api.Column.translate_type('integer')) }}{% endmacro %}
{% macro default__type_boolean() %}{{ return(api.Column.translate_type('boolean')) }}{% endmacro %}

{% macro default__get_powers_of_two(upper_bound) -%}
  {% if upper_bound <= 0 %}{{ exceptions.raise_compiler_error("upper bound must be positive") }}{% endif %}
  {% for _ in range(1, 100) %}{% if upper_bound <= 2 ** loop.index %}{{ return(loop.index) }}{% endif %}{% endfor %}
{%- endmacro %}
{% macro default__generate_series(upper_bound) -%}
  {%- set n = dbt.get_powers_of_two(upper_bound) -%}
  with p as (select 0 as generated_number union all select 1),
  unioned as (
    select {% for i in range(n) %}p{{ i }}.generated_number * power(2, {{ i }}){% if not loop.last %} + {% endif %}{% endfor %} + 1 as generated_number
    from {% for i in range(n) %}p as p{{ i }}{% if not loop.last %} cross join {% endif %}{% endfor %}
  )
  select * from unioned where generated_number <= {{ upper_bound }} order by generated_number
{%- endmacro %}
{% macro duckdb__generate_series(upper_bound) -%}
  select generate_series as generated_number from generate_series(1, {{ upper_bound }})
{%- endmacro %}
`;

export const DBT_MACROS_SQL = `${entries}\n${DEFAULTS}`;
