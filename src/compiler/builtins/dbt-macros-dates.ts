// The date/time half of the bundled `dbt` package (see dbt-macros.ts): date_trunc, dateadd, datediff, last_day,
// date, date_spine (which asks the warehouse for the number of periods through a statement block, as dbt does),
// current_timestamp, plus dbt's default naming macros (default__generate_schema_name and friends) that projects
// call from their own overrides.
const ENTRY: [string, string][] = [
  ['date_trunc', 'datepart, date'], ['dateadd', 'datepart, interval, from_date_or_timestamp'],
  ['datediff', 'first_date, second_date, datepart'], ['last_day', 'date, datepart'], ['date', 'year, month, day'],
  ['date_spine', 'datepart, start_date, end_date'], ['get_intervals_between', 'start_date, end_date, datepart'],
  ['current_timestamp_backcompat', ''], ['current_timestamp_in_utc_backcompat', ''],
];

const entries = ENTRY.map(
  ([name, params]) => `{% macro ${name}(${params}) -%}
  {{ return(adapter.dispatch('${name}', 'dbt')(${params})) }}
{%- endmacro %}`,
).join('\n');

const DATES = String.raw`
{% macro current_timestamp() -%} {{ adapter.dispatch('current_timestamp', 'dbt')() }} {%- endmacro %}
{% macro default__current_timestamp() -%} current_timestamp {%- endmacro %}
{% macro duckdb__current_timestamp() -%} now() {%- endmacro %}
{% macro postgres__current_timestamp() -%} now() {%- endmacro %}
{% macro snapshot_get_time() -%} {{ adapter.dispatch('snapshot_get_time', 'dbt')() }} {%- endmacro %}
{% macro default__snapshot_get_time() -%} {{ current_timestamp() }} {%- endmacro %}
{% macro duckdb__snapshot_get_time() -%} {{ current_timestamp() }}::timestamp {%- endmacro %}
{% macro postgres__snapshot_get_time() -%} {{ current_timestamp() }}::timestamp without time zone {%- endmacro %}
{% macro default__current_timestamp_backcompat() -%} current_timestamp::timestamp {%- endmacro %}
{% macro postgres__current_timestamp_backcompat() -%} current_timestamp::{{ type_timestamp() }} {%- endmacro %}
{% macro default__current_timestamp_in_utc_backcompat() -%} {{ return(adapter.dispatch('current_timestamp_backcompat', 'dbt')()) }} {%- endmacro %}
{% macro postgres__current_timestamp_in_utc_backcompat() -%} (current_timestamp at time zone 'utc')::{{ type_timestamp() }} {%- endmacro %}

{% macro default__date_trunc(datepart, date) -%} date_trunc('{{ datepart }}', {{ date }}) {%- endmacro %}

{% macro default__dateadd(datepart, interval, from_date_or_timestamp) -%}
  dateadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}
{% macro duckdb__dateadd(datepart, interval, from_date_or_timestamp) -%}
  {%- set unit = datepart | lower -%}
  {%- if unit == 'quarter' -%}
  ({{ from_date_or_timestamp }} + (cast({{ interval }} as bigint) * 3) * interval 1 month)
  {%- elif unit == 'week' -%}
  ({{ from_date_or_timestamp }} + (cast({{ interval }} as bigint) * 7) * interval 1 day)
  {%- else -%}
  ({{ from_date_or_timestamp }} + cast({{ interval }} as bigint) * interval 1 {{ unit }})
  {%- endif -%}
{%- endmacro %}
{% macro postgres__dateadd(datepart, interval, from_date_or_timestamp) -%}
  {{ from_date_or_timestamp }} + ((interval '1 {{ datepart }}') * ({{ interval }}))
{%- endmacro %}
{% macro trino__dateadd(datepart, interval, from_date_or_timestamp) -%}
  date_add('{{ datepart }}', {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}

{% macro default__datediff(first_date, second_date, datepart) -%}
  datediff({{ datepart }}, {{ first_date }}, {{ second_date }})
{%- endmacro %}
{% macro _datediff_week(first_date, second_date, div) -%}
  ({{ datediff(first_date, second_date, 'day') }} {{ div }} 7 + case
    when date_part('dow', ({{ first_date }})::timestamp) <= date_part('dow', ({{ second_date }})::timestamp) then
      case when {{ first_date }} <= {{ second_date }} then 0 else -1 end
    else
      case when {{ first_date }} <= {{ second_date }} then 1 else 0 end
  end)
{%- endmacro %}
{% macro duckdb__datediff(first_date, second_date, datepart) -%}
  {%- if datepart == 'week' -%}{{ dbt._datediff_week(first_date, second_date, '//') }}
  {%- else -%}(date_diff('{{ datepart }}', {{ first_date }}::timestamp, {{ second_date }}::timestamp))
  {%- endif -%}
{%- endmacro %}
{% macro postgres__datediff(first_date, second_date, datepart) -%}
  {%- set d1 = '(' ~ first_date ~ ')' -%}{%- set d2 = '(' ~ second_date ~ ')' -%}
  {%- if datepart == 'year' -%}(date_part('year', {{ d2 }}::date) - date_part('year', {{ d1 }}::date))
  {%- elif datepart == 'quarter' -%}({{ datediff(first_date, second_date, 'year') }} * 4 + date_part('quarter', {{ d2 }}::date) - date_part('quarter', {{ d1 }}::date))
  {%- elif datepart == 'month' -%}({{ datediff(first_date, second_date, 'year') }} * 12 + date_part('month', {{ d2 }}::date) - date_part('month', {{ d1 }}::date))
  {%- elif datepart == 'day' -%}({{ d2 }}::date - {{ d1 }}::date)
  {%- elif datepart == 'week' -%}{{ dbt._datediff_week(first_date, second_date, '/') }}
  {%- elif datepart == 'hour' -%}({{ datediff(first_date, second_date, 'day') }} * 24 + date_part('hour', {{ d2 }}::timestamp) - date_part('hour', {{ d1 }}::timestamp))
  {%- elif datepart == 'minute' -%}({{ datediff(first_date, second_date, 'hour') }} * 60 + date_part('minute', {{ d2 }}::timestamp) - date_part('minute', {{ d1 }}::timestamp))
  {%- elif datepart == 'second' -%}({{ datediff(first_date, second_date, 'minute') }} * 60 + floor(date_part('second', {{ d2 }}::timestamp)) - floor(date_part('second', {{ d1 }}::timestamp)))
  {%- elif datepart == 'millisecond' -%}({{ datediff(first_date, second_date, 'minute') }} * 60000 + floor(date_part('millisecond', {{ d2 }}::timestamp)) - floor(date_part('millisecond', {{ d1 }}::timestamp)))
  {%- elif datepart == 'microsecond' -%}({{ datediff(first_date, second_date, 'minute') }} * 60000000 + floor(date_part('microsecond', {{ d2 }}::timestamp)) - floor(date_part('microsecond', {{ d1 }}::timestamp)))
  {%- else -%}{{ exceptions.raise_compiler_error("Unsupported datepart for macro datediff in postgres: {!r}".format(datepart)) }}
  {%- endif -%}
{%- endmacro %}
{% macro trino__datediff(first_date, second_date, datepart) -%}
  {%- set t1 = 'CAST(' ~ first_date ~ ' AS TIMESTAMP)' -%}{%- set t2 = 'CAST(' ~ second_date ~ ' AS TIMESTAMP)' -%}
  {%- if datepart == 'year' -%}(year({{ t2 }}) - year({{ t1 }}))
  {%- elif datepart == 'quarter' -%}({{ datediff(first_date, second_date, 'year') }} * 4) + quarter({{ t2 }}) - quarter({{ t1 }})
  {%- elif datepart == 'month' -%}({{ datediff(first_date, second_date, 'year') }} * 12) + month({{ t2 }}) - month({{ t1 }})
  {%- elif datepart == 'day' -%}((to_milliseconds((CAST({{ t2 }} AS DATE) - CAST({{ t1 }} AS DATE)))) / 86400000)
  {%- elif datepart == 'week' -%}({{ datediff(first_date, second_date, 'day') }} / 7 + case when dow({{ t1 }}) <= dow({{ t2 }}) then case when {{ first_date }} <= {{ second_date }} then 0 else -1 end else case when {{ first_date }} <= {{ second_date }} then 1 else 0 end end)
  {%- elif datepart == 'hour' -%}({{ datediff(first_date, second_date, 'day') }} * 24 + hour({{ t2 }}) - hour({{ t1 }}))
  {%- elif datepart == 'minute' -%}({{ datediff(first_date, second_date, 'hour') }} * 60 + minute({{ t2 }}) - minute({{ t1 }}))
  {%- elif datepart == 'second' -%}({{ datediff(first_date, second_date, 'minute') }} * 60 + second({{ t2 }}) - second({{ t1 }}))
  {%- elif datepart == 'millisecond' -%}(to_milliseconds(({{ t2 }} - {{ t1 }})))
  {%- else -%}{{ exceptions.raise_compiler_error("Unsupported datepart for macro datediff in Trino: {!r}".format(datepart)) }}
  {%- endif -%}
{%- endmacro %}

{% macro default_last_day(date, datepart) -%}
  cast({{ dbt.dateadd('day', '-1', dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))) }} as date)
{%- endmacro %}
{% macro default__last_day(date, datepart) -%} {{ dbt.default_last_day(date, datepart) }} {%- endmacro %}
{% macro _last_day_quarter_as_months(date, datepart) -%}
  {%- if datepart == 'quarter' -%}
  cast({{ dbt.dateadd('day', '-1', dbt.dateadd('month', '3', dbt.date_trunc(datepart, date))) }} as date)
  {%- else -%}{{ dbt.default_last_day(date, datepart) }}{%- endif -%}
{%- endmacro %}
{% macro duckdb__last_day(date, datepart) -%} {{ dbt._last_day_quarter_as_months(date, datepart) }} {%- endmacro %}
{% macro postgres__last_day(date, datepart) -%} {{ dbt._last_day_quarter_as_months(date, datepart) }} {%- endmacro %}

{% macro default__date(year, month, day) -%}
  {%- set dt = modules.datetime.date(year, month, day) -%}
  to_date('{{ dt.strftime('%Y-%m-%d') }}', 'YYYY-MM-DD')
{%- endmacro %}
{% macro duckdb__date(year, month, day) -%}
  {%- set dt = modules.datetime.date(year, month, day) -%}
  cast('{{ dt.strftime('%Y-%m-%d') }}' as date)
{%- endmacro %}
{% macro trino__date(year, month, day) -%}
  {%- set dt = modules.datetime.date(year, month, day) -%}
  date '{{ dt.strftime('%Y-%m-%d') }}'
{%- endmacro %}

{% macro default__get_intervals_between(start_date, end_date, datepart) -%}
  {%- call statement('get_intervals_between', fetch_result=True) %}
    select {{ dbt.datediff(start_date, end_date, datepart) }}
  {%- endcall -%}
  {%- set value_list = load_result('get_intervals_between') -%}
  {%- if value_list and value_list['data'] -%}
    {%- set values = value_list['data'] | map(attribute=0) | list %}
    {{ return(values[0]) }}
  {%- else -%}
    {{ return(1) }}
  {%- endif -%}
{%- endmacro %}
{% macro default__date_spine(datepart, start_date, end_date) -%}
  {%- set start = ('cast(' ~ start_date ~ ' as date)') if adapter.type() == 'trino' else start_date -%}
  {%- set finish = ('cast(' ~ end_date ~ ' as date)') if adapter.type() == 'trino' else end_date -%}
  with rawdata as (
    {{ dbt.generate_series(dbt.get_intervals_between(start_date, end_date, datepart)) }}
  ),
  all_periods as (
    select ({{ dbt.dateadd(datepart, "row_number() over (order by 1) - 1", start) }}) as date_{{ datepart }}
    from rawdata
  ),
  filtered as (
    select * from all_periods where date_{{ datepart }} <= {{ finish }}
  )
  select * from filtered
{%- endmacro %}

{% macro generate_schema_name(custom_schema_name=none, node=none) -%}
  {{ return(adapter.dispatch('generate_schema_name', 'dbt')(custom_schema_name, node)) }}
{%- endmacro %}
{% macro default__generate_schema_name(custom_schema_name, node) -%}
  {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ target.schema }}_{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
{% macro generate_schema_name_for_env(custom_schema_name, node) -%}
  {%- if target.name == 'prod' and custom_schema_name is not none -%}{{ custom_schema_name | trim }}{%- else -%}{{ target.schema }}{%- endif -%}
{%- endmacro %}
{% macro generate_alias_name(custom_alias_name=none, node=none) -%}
  {{ return(adapter.dispatch('generate_alias_name', 'dbt')(custom_alias_name, node)) }}
{%- endmacro %}
{% macro default__generate_alias_name(custom_alias_name=none, node=none) -%}
  {%- if custom_alias_name -%}{{ custom_alias_name | trim }}{%- elif node.version -%}{{ return(node.name ~ "_v" ~ (node.version | replace(".", "_"))) }}{%- else -%}{{ node.name }}{%- endif -%}
{%- endmacro %}
{% macro generate_database_name(custom_database_name=none, node=none) -%}
  {{ return(adapter.dispatch('generate_database_name', 'dbt')(custom_database_name, node)) }}
{%- endmacro %}
{% macro default__generate_database_name(custom_database_name=none, node=none) -%}
  {%- if custom_database_name is none -%}{{ target.database }}{%- else -%}{{ custom_database_name | trim }}{%- endif -%}
{%- endmacro %}
`;

export const DBT_DATE_MACROS_SQL = `${entries}\n${DATES}`;
