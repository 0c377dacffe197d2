{#
  Schema naming for this project: a model's custom schema (`+schema: gold`) is used verbatim
  instead of dbt's default `<target.schema>_<custom>`, so relations land in raw / bronze /
  silver / gold on every target. Nodes without a custom schema go to target.schema (analytics).
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
