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

-- delete replaced rows
delete from "warehouse"."gold"."daily_revenue"
where "day" in (select "day" from "warehouse"."gold"."daily_revenue__tsdbt_tmp");

-- insert new rows
insert into "warehouse"."gold"."daily_revenue" ("day", "revenue")
select "day", "revenue" from "warehouse"."gold"."daily_revenue__tsdbt_tmp";

-- drop intermediate
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_tmp";

commit;
