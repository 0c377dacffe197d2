-- transactional: true
begin;

-- drop leftover intermediate
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_tmp";

-- build intermediate table
create table "warehouse"."gold"."daily_revenue__tsdbt_tmp" as (
select day, sum(amount) as revenue
from "warehouse"."silver"."orders"
group by 1
);

-- move new table in
alter table "warehouse"."gold"."daily_revenue__tsdbt_tmp" rename to "daily_revenue";

commit;
