-- transactional: false (Trino has no transactional DDL)
-- drop leftover intermediate
drop table if exists "iceberg"."gold"."daily_revenue__tsdbt_tmp";

-- build new rows
create table "iceberg"."gold"."daily_revenue__tsdbt_tmp" as
with o as (select * from "postgresql"."raw"."orders")
select day, sum(amount) as revenue
from o
group by 1;

-- add column orders
alter table "iceberg"."gold"."daily_revenue" add column "orders" bigint;

-- drop column legacy
alter table "iceberg"."gold"."daily_revenue" drop column "legacy";

-- change type of revenue
alter table "iceberg"."gold"."daily_revenue" alter column "revenue" set data type decimal(18,2);

-- delete replaced rows
delete from "iceberg"."gold"."daily_revenue"
where "day" in (select "day" from "iceberg"."gold"."daily_revenue__tsdbt_tmp");

-- insert new rows
insert into "iceberg"."gold"."daily_revenue" ("day", "revenue", "orders")
select "day", "revenue", "orders" from "iceberg"."gold"."daily_revenue__tsdbt_tmp";

-- drop intermediate
drop table if exists "iceberg"."gold"."daily_revenue__tsdbt_tmp";
