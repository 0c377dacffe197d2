{#
  normalize_event_type(column): producers send 'VIEW', ' click', 'Purchase '; every model
  compares event types in their canonical form, lower case without surrounding spaces.
#}
{% macro normalize_event_type(column) -%}
    lower(trim({{ column }}))
{%- endmacro %}
