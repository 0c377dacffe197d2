select *
from (select * from "demo"."main"."customers" where id > 0) dbt_subquery
where id is null
