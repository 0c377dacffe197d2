{#
  safe_divide(numerator, denominator, scale=4): a ratio that comes out the same on DuckDB,
  PostgreSQL and Trino.
  - divides in double precision (integer `/` truncates on PostgreSQL and Trino, and Trino's
    decimal division keeps only max(scale) digits);
  - returns null when the denominator is 0 (callers coalesce when they want 0);
  - rounds half away from zero to `scale` decimals through a decimal(38, 12) (PostgreSQL has no
    round(double precision, int)), and returns decimal(18, scale) so the column type is
    stable across engines.
#}
{% macro safe_divide(numerator, denominator, scale=4) -%}
    cast(round(cast(cast({{ numerator }} as double precision)
        / nullif(cast({{ denominator }} as double precision), 0) as decimal(38, 12)), {{ scale }}) as decimal(18, {{ scale }}))
{%- endmacro %}
