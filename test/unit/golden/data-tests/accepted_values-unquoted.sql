with all_values as (
    select
        status as value_field,
        count(*) as n_records
    from (select * from "demo"."main"."orders" where status <> 'x') dbt_subquery
    group by status
)
select *
from all_values
where value_field not in (1, 2)
