-- transactional: false (Trino has no transactional DDL)
-- drop leftover intermediate
drop table if exists "iceberg"."gold"."daily_revenue__tsdbt_tmp";

-- build new rows
create table "iceberg"."gold"."daily_revenue__tsdbt_tmp" as
with o as (select * from "postgresql"."raw"."orders")
select day, sum(amount) as revenue
from o
group by 1;

-- delete replaced rows
delete from "iceberg"."gold"."daily_revenue"
where ("day", "revenue") in (select "day", "revenue" from "iceberg"."gold"."daily_revenue__tsdbt_tmp")
  and (day > current_date - interval '7' day);

-- insert new rows
insert into "iceberg"."gold"."daily_revenue" ("day", "revenue")
select "day", "revenue" from "iceberg"."gold"."daily_revenue__tsdbt_tmp";

-- drop intermediate
drop table if exists "iceberg"."gold"."daily_revenue__tsdbt_tmp";
