-- transactional: false (Trino has no transactional DDL)
-- drop leftover intermediate
drop table if exists "iceberg"."gold"."daily_revenue__tsdbt_tmp";

-- build new rows
create table "iceberg"."gold"."daily_revenue__tsdbt_tmp" as
with o as (select * from "postgresql"."raw"."orders")
select day, sum(amount) as revenue
from o
group by 1;

-- merge new rows
merge into "iceberg"."gold"."daily_revenue" as DBT_INTERNAL_DEST
using "iceberg"."gold"."daily_revenue__tsdbt_tmp" as DBT_INTERNAL_SOURCE
on DBT_INTERNAL_DEST."day" = DBT_INTERNAL_SOURCE."day"
when matched then update set "revenue" = DBT_INTERNAL_SOURCE."revenue"
when not matched then insert ("day", "revenue")
values (DBT_INTERNAL_SOURCE."day", DBT_INTERNAL_SOURCE."revenue");

-- drop intermediate
drop table if exists "iceberg"."gold"."daily_revenue__tsdbt_tmp";
