{#
  unique_combination_of_columns(combination_of_columns): a model-level test for composite keys
  (the same name and argument as dbt_utils' test, so YAML written for it works unchanged).
  Failing rows: each combination that appears more than once, with how often.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_records
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
