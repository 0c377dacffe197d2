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

-- drop leftover backup
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_backup";

-- move old relation aside
alter table "warehouse"."gold"."daily_revenue" rename to "daily_revenue__tsdbt_backup";

-- move new table in
alter table "warehouse"."gold"."daily_revenue__tsdbt_tmp" rename to "daily_revenue";

-- drop old relation
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_backup";

commit;
