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

-- add column orders
alter table "warehouse"."gold"."daily_revenue" add column "orders" bigint;

-- drop column legacy
alter table "warehouse"."gold"."daily_revenue" drop column "legacy";

-- change type of revenue
alter table "warehouse"."gold"."daily_revenue" alter column "revenue" type numeric(18,2);

-- delete replaced rows
delete from "warehouse"."gold"."daily_revenue"
where "day" in (select "day" from "warehouse"."gold"."daily_revenue__tsdbt_tmp");

-- insert new rows
insert into "warehouse"."gold"."daily_revenue" ("day", "revenue", "orders")
select "day", "revenue", "orders" from "warehouse"."gold"."daily_revenue__tsdbt_tmp";

-- drop intermediate
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_tmp";

commit;
