-- transactional: true
begin;

-- drop leftover intermediate
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_tmp";

-- build new rows
create table "warehouse"."gold"."daily_revenue__tsdbt_tmp" as (
select day, sum(amount) as revenue
from "warehouse"."silver"."orders"
group by 1
);

-- merge new rows
merge into "warehouse"."gold"."daily_revenue" as DBT_INTERNAL_DEST
using "warehouse"."gold"."daily_revenue__tsdbt_tmp" as DBT_INTERNAL_SOURCE
on DBT_INTERNAL_DEST."day" = DBT_INTERNAL_SOURCE."day"
when matched then update set "revenue" = DBT_INTERNAL_SOURCE."revenue"
when not matched then insert ("day", "revenue")
values (DBT_INTERNAL_SOURCE."day", DBT_INTERNAL_SOURCE."revenue");

-- drop intermediate
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_tmp";

commit;
