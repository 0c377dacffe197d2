-- transactional: false (Trino has no transactional DDL)
-- drop leftover intermediate
drop table if exists "memory"."gold"."daily_revenue__tsdbt_tmp";

-- build intermediate table
create table "memory"."gold"."daily_revenue__tsdbt_tmp" as
with o as (select * from "postgresql"."raw"."orders")
select day, sum(amount) as revenue
from o
group by 1;

-- drop leftover backup
drop table if exists "memory"."gold"."daily_revenue__tsdbt_backup";

-- move old relation aside
alter table "memory"."gold"."daily_revenue" rename to "memory"."gold"."daily_revenue__tsdbt_backup";

-- move new table in
alter table "memory"."gold"."daily_revenue__tsdbt_tmp" rename to "memory"."gold"."daily_revenue";

-- drop old relation
drop table if exists "memory"."gold"."daily_revenue__tsdbt_backup";
